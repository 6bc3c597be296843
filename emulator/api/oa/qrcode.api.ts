import { ID_ALPHABET } from '../../core/hash';
import { WxError } from '../../core/wx-error';
import type { Endpoint } from '../../http/endpoint';
import { OaQrCodeStore, type QrActionName } from '../../world/oa-qrcodes';
import { audienceOf } from './user.api';

const ACTIONS: readonly QrActionName[] = ['QR_SCENE', 'QR_STR_SCENE', 'QR_LIMIT_SCENE', 'QR_LIMIT_STR_SCENE'];
/** 30 days, the documented maximum lifetime of a temporary code. */
const MAX_EXPIRE = 2_592_000;
/** Lifetime of a temporary code created without expire_seconds. */
const DEFAULT_EXPIRE = 30;
const MAX_PERMANENT_SCENE_ID = 100_000;
const MAX_TEMPORARY_SCENE_ID = 0xffff_ffff;

/**
 * POST /cgi-bin/qrcode/create {expire_seconds?, action_name, action_info:{scene:{scene_id | scene_str}}}.
 * scene_id is a non-zero 32-bit integer for temporary codes and 1..100000 for permanent ones; scene_str is 1..64
 * characters; anything else in action_info is 40053 and an unknown action_name 40052 (developer-community reports
 * of those errmsgs). Permanent codes are capped per account (45029 "qrcode count out of limit"); the same permanent
 * scene answers the same ticket without counting again [choice]. expire_seconds defaults to 30 and above 30 days is
 * cut to 30 days [choice]. Temporary answers carry expire_seconds, permanent ones only ticket and url.
 * https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html
 */
const create: Endpoint = {
  product: 'oa',
  auth: 'app',
  appKinds: ['official-account'],
  path: '/cgi-bin/qrcode/create',
  method: 'POST',
  handle(call) {
    const aud = audienceOf(call);
    const b = call.body();
    const action = b.action_name;
    if (typeof action !== 'string' || !ACTIONS.includes(action as QrActionName)) throw new WxError(40052);
    const name = action as QrActionName;
    const permanent = OaQrCodeStore.isPermanent(name);
    const { sceneId, sceneStr } = sceneOf(b.action_info, name);
    let expire: number | undefined;
    if (!permanent) {
      const e = b.expire_seconds ?? DEFAULT_EXPIRE;
      if (typeof e !== 'number' || !Number.isInteger(e) || e < 1) throw new WxError(47001);
      expire = Math.min(e, MAX_EXPIRE);
    }
    const store = aud.qrcodes;
    if (permanent) {
      const existing = store.existingPermanent(sceneId, sceneStr);
      if (existing) return { ticket: existing.ticket, url: existing.url };
      if (store.permanentCount >= store.permanentLimit) throw new WxError(45029);
    }
    const rng = call.state.rng;
    const code = store.add({
      ticket: `gQ${rng.chars(62, ID_ALPHABET)}`,
      url: `http://weixin.qq.com/q/02${rng.chars(20, ID_ALPHABET)}`,
      actionName: name,
      sceneId,
      sceneStr,
      createdAt: call.now,
      expiresAt: expire === undefined ? undefined : call.now + expire,
      scans: 0,
    });
    return expire === undefined
      ? { ticket: code.ticket, url: code.url }
      : { ticket: code.ticket, expire_seconds: expire, url: code.url };
  },
};

function sceneOf(info: unknown, name: QrActionName): { sceneId: number; sceneStr: string } {
  const scene = info && typeof info === 'object' ? (info as { scene?: unknown }).scene : undefined;
  if (!scene || typeof scene !== 'object') throw new WxError(40053);
  const { scene_id: id, scene_str: str } = scene as { scene_id?: unknown; scene_str?: unknown };
  if (name === 'QR_STR_SCENE' || name === 'QR_LIMIT_STR_SCENE') {
    if (typeof str !== 'string' || str.length < 1 || str.length > 64) throw new WxError(40053);
    return { sceneId: 0, sceneStr: str };
  }
  const max = name === 'QR_LIMIT_SCENE' ? MAX_PERMANENT_SCENE_ID : MAX_TEMPORARY_SCENE_ID;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > max) throw new WxError(40053);
  return { sceneId: id, sceneStr: '' };
}

export const qrcodeEndpoints: Endpoint[] = [create];
