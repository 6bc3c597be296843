import { randomBytes } from 'crypto';
import type { SiyuConfig } from '../../config';
import { jssdkSignature, urlWithoutFragment } from '../../connectors/h5/jssdk-signature';
import type { WecomClient } from '../../connectors/wecom/client';
import { WECOM_JSSDK_URLS } from '../../connectors/wecom/config';
import { FrontDoorError, frontDoorErrorOf } from '../h5/front-door.errors';
import type { SidebarJssdkConfig } from './sidebar-api.types';
import type { SidebarCorp } from './sidebar-corps';

export interface SidebarJssdkDeps {
  config: SiyuConfig;
  wecom(corpId: string): WecomClient;
  now(): number;
}

/** getCurExternalContact needs agentConfig; getContext tells a chat toolbar from a contact profile. */
const AGENT_APIS = ['getContext', 'getCurExternalContact'];
const CONFIG_APIS = ['agentConfig'];
const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MAX_URL_CHARS = 2048;

/**
 * JS-SDK values for the sidebar page: `wx.config` signed with the corp ticket, `wx.agentConfig` with the app
 * (agent_config) ticket, both shared through the token manager. Only pages of this gateway (`server.publicUrl`)
 * or of `server.allowedOrigins` are signed, so the gateway does not sign for someone else's site.
 * https://developer.work.weixin.qq.com/document/path/90514 · https://developer.work.weixin.qq.com/document/path/94313
 */
export class SidebarJssdkService {
  private readonly origins: Set<string>;

  constructor(private readonly deps: SidebarJssdkDeps) {
    this.origins = new Set([
      new URL(deps.config.server.publicUrl).origin,
      ...deps.config.server.allowedOrigins.map((o) => new URL(o).origin),
    ]);
  }

  /** The script URLs every configured sidebar corp may load (for the page's Content-Security-Policy). */
  static scriptUrls(config: SiyuConfig): string[] {
    const urls = new Set<string>();
    for (const a of config.accounts)
      if (a.kind === 'wecom') for (const u of a.jsSdkUrl ? [a.jsSdkUrl] : WECOM_JSSDK_URLS) urls.add(u);
    return [...urls];
  }

  async configFor(corp: SidebarCorp, url: unknown): Promise<SidebarJssdkConfig> {
    if (!this.allowed(url))
      throw new FrontDoorError(
        'URL_NOT_ALLOWED',
        'url must be the absolute URL of a page on this gateway (server.publicUrl) or server.allowedOrigins',
      );
    const client = this.deps.wecom(corp.corpId);
    let corpTicket: string;
    let agentTicket: string;
    try {
      [corpTicket, agentTicket] = await Promise.all([client.jsapiTicket(), client.agentConfigTicket()]);
    } catch (e) {
      throw frontDoorErrorOf(e, 'JS-SDK ticket request');
    }
    const timestamp = Math.floor(this.deps.now() / 1000);
    // The text the page signs, minus its fragment, not a re-serialised URL (the client signs location.href as is).
    const page = urlWithoutFragment(url);
    const sign = (jsapiTicket: string) => {
      const nonceStr = nonce(16);
      return { timestamp, nonceStr, signature: jssdkSignature({ jsapiTicket, nonceStr, timestamp, url: page }) };
    };
    return {
      config: { beta: true, appId: corp.corpId, ...sign(corpTicket), jsApiList: CONFIG_APIS },
      agentConfig: { corpid: corp.corpId, agentid: corp.agentId, ...sign(agentTicket), jsApiList: AGENT_APIS },
      jsSdkUrls: corp.jsSdkUrl ? [corp.jsSdkUrl] : WECOM_JSSDK_URLS,
    };
  }

  private allowed(url: unknown): url is string {
    if (typeof url !== 'string' || url === '' || url.length > MAX_URL_CHARS) return false;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    return (
      (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
      parsed.username === '' &&
      parsed.password === '' &&
      this.origins.has(parsed.origin)
    );
  }
}

function nonce(length: number): string {
  let out = '';
  for (const b of randomBytes(length)) out += NONCE_ALPHABET[b % NONCE_ALPHABET.length];
  return out;
}
