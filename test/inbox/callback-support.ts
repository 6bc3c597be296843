import type { CallbackTarget } from '../../emulator/plugin-types';
import { prepareRequest, withQuery } from '../../emulator/callbacks/envelope';
import { buildOaMessage } from '../../emulator/callbacks/oa-message.builder';
import { buildOaEvent, type OaEventInput } from '../../emulator/callbacks/oa-event.builder';
import { numericNonce } from '../../emulator/callbacks/callback-ids';

/** Test accounts and signed OA callbacks built with the emulator's envelope code (the way WeChat sends them). */
export const OA = {
  kind: 'official-account',
  appId: 'wx1a2b3c4d5e6f7a8b',
  appSecret: 'oa-secret',
  token: 'oa-token',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};

export function oaTarget(baseUrl: string): CallbackTarget {
  return {
    kind: 'official-account',
    id: OA.appId,
    token: OA.token,
    encodingAESKey: OA.encodingAESKey,
    mode: 'safe',
    format: 'xml',
    url: `${baseUrl}/wechat/official-account/${OA.appId}`,
  };
}

export interface SignedCallback {
  url: string;
  body: string;
  contentType: string;
}

function sign(
  target: CallbackTarget,
  message: Parameters<typeof prepareRequest>[2],
  mode: CallbackTarget['mode'],
): SignedCallback {
  const p = prepareRequest(target, target.url!, message, {
    mode,
    format: 'xml',
    timestamp: String(Math.floor(Date.now() / 1000)),
    nonce: numericNonce(),
  });
  return { url: withQuery(p.url, p.query), body: p.body, contentType: p.contentType };
}

export function oaText(
  baseUrl: string,
  openid: string,
  msgId: bigint,
  content = 'hello',
  mode: CallbackTarget['mode'] = 'safe',
): SignedCallback {
  const header = { toUserName: 'gh_test', openid, createTime: Math.floor(Date.now() / 1000) };
  return sign(oaTarget(baseUrl), buildOaMessage(header, { type: 'text', content }, msgId), mode);
}

export function oaEvent(
  baseUrl: string,
  openid: string,
  input: OaEventInput,
  createTime = Math.floor(Date.now() / 1000),
): SignedCallback {
  return sign(oaTarget(baseUrl), buildOaEvent({ toUserName: 'gh_test', openid, createTime }, input), 'safe');
}

export async function post(
  cb: SignedCallback,
  init: { body?: string; url?: string } = {},
): Promise<{ status: number; text: string }> {
  const res = await fetch(init.url ?? cb.url, {
    method: 'POST',
    headers: { 'content-type': cb.contentType },
    body: init.body ?? cb.body,
  });
  return { status: res.status, text: await res.text() };
}
