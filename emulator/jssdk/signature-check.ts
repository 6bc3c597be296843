import { sha1Hex } from '../core/sha1';
import type { EmulatorState } from '../state';

export interface JssdkSignatureClaim {
  kind: 'config' | 'agentConfig';
  corpid: string;
  agentid?: number | string;
  url: string;
  noncestr: string;
  timestamp: number | string;
  signature: string;
}

export type JssdkCheck = { ok: true } | { ok: false; errcode: number; errmsg: string };

/**
 * What the WeCom client checks before `wx.config` / `wx.agentConfig` succeed (wechat-api.md §5.12): the SHA-1
 * over `jsapi_ticket&noncestr&timestamp&url` (url without `#…`) with a live ticket of the right kind — the corp
 * ticket for config, this app's agent_config ticket for agentConfig. An agentConfig signed with the corp ticket
 * is 42012, any other mismatch 63002 (invalid signature); an agentid not of the corp's app is 40056.
 */
export function checkJssdkSignature(state: EmulatorState, c: JssdkSignatureClaim): JssdkCheck {
  const corp = state.world.corp(c.corpid);
  if (!corp) return { ok: false, errcode: 40013, errmsg: 'invalid corpid' };
  const agentOwner = `${corp.corp.corpId}|${corp.corp.agentApp.agentId}`;
  if (c.kind === 'agentConfig' && String(c.agentid) !== String(corp.corp.agentApp.agentId))
    return { ok: false, errcode: 40056, errmsg: 'invalid agentid' };
  const signedWith = (kind: 'wecom-corp' | 'wecom-agent', owner: string): boolean => {
    const url = c.url.split('#')[0]!;
    for (const t of state.tickets.all.values()) {
      if (t.kind !== kind || t.owner !== owner || t.expiresAt <= state.now()) continue;
      if (sha1Hex(`jsapi_ticket=${t.value}&noncestr=${c.noncestr}&timestamp=${c.timestamp}&url=${url}`) === c.signature)
        return true;
    }
    return false;
  };
  if (c.kind === 'config')
    return signedWith('wecom-corp', corp.corp.corpId)
      ? { ok: true }
      : { ok: false, errcode: 63002, errmsg: 'invalid signature' };
  if (signedWith('wecom-agent', agentOwner)) return { ok: true };
  if (signedWith('wecom-corp', corp.corp.corpId))
    return {
      ok: false,
      errcode: 42012,
      errmsg: 'invalid signature (signed with the corp jsapi_ticket, not the agent_config ticket)',
    };
  return { ok: false, errcode: 63002, errmsg: 'invalid signature' };
}
