import { randomBytes } from 'crypto';
import type { H5Client } from '../../connectors/h5/client';
import { jssdkSignature, urlWithoutFragment } from '../../connectors/h5/jssdk-signature';
import { findOfficialAccount, type SiyuConfig } from '../../config';
import { FrontDoorError, frontDoorErrorOf } from './front-door.errors';
import type { OriginAllowList } from './origin-allow-list';

/** The values `wx.config({ appId, timestamp, nonceStr, signature, jsApiList })` needs. */
export interface JssdkConfig {
  appId: string;
  timestamp: number;
  nonceStr: string;
  signature: string;
}

export interface JssdkConfigDeps {
  config: SiyuConfig;
  h5(appId: string): H5Client;
  allow: OriginAllowList;
  now(): number;
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * JS-SDK config for an H5 page of an OA (DESIGN §8.2; wechat-api.md §7.6), signed with the OA's shared jsapi
 * ticket from the token manager (one ticket per OA across instances: getticket's quota is "very limited").
 * Only pages on `server.allowedOrigins` get a signature, so the gateway does not sign for someone else's site.
 * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/JS-SDK.html#62
 */
export class JssdkConfigService {
  constructor(private readonly deps: JssdkConfigDeps) {}

  async configFor(appId: string, url: unknown): Promise<JssdkConfig> {
    if (!findOfficialAccount(this.deps.config, appId))
      throw new FrontDoorError('ACCOUNT_NOT_FOUND', `no official account ${appId} is configured`);
    const page = this.deps.allow.allowedUrl(url);
    if (!page)
      throw new FrontDoorError('URL_NOT_ALLOWED', 'url must be an absolute URL on one of server.allowedOrigins');
    let ticket: string;
    try {
      ticket = await this.deps.h5(appId).jsapiTicket();
    } catch (e) {
      throw frontDoorErrorOf(e, 'JS-SDK ticket request');
    }
    const timestamp = Math.floor(this.deps.now() / 1000);
    const nonceStr = nonce(16);
    // The signed URL is the caller's text minus its fragment, not a re-serialised URL: WeChat's client signs
    // `location.href.split('#')[0]` as the page has it, and URL parsing would normalise case and escapes.
    const signature = jssdkSignature({
      jsapiTicket: ticket,
      nonceStr,
      timestamp,
      url: urlWithoutFragment(url as string),
    });
    return { appId, timestamp, nonceStr, signature };
  }
}

function nonce(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += NONCE_ALPHABET[b % NONCE_ALPHABET.length];
  return out;
}
