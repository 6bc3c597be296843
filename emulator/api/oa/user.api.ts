import { WxError } from '../../core/wx-error';
import { appOf, type Call, type Endpoint } from '../../http/endpoint';
import type { OaAudience } from '../../world/oa-audience';
import { nextFollower, pageOpenids } from './paging';
import { userInfo } from './user-view';

/** The OA audience of the calling token. */
export function audienceOf(call: Call): OaAudience {
  const aud = call.world.oaApp(appOf(call).app.appId);
  if (!aud) throw new WxError(48001);
  return aud;
}

/** Slot of an openid of the calling OA; any other openid → 40003. */
export function slotOrThrow(aud: OaAudience, openid: unknown): number {
  const slot = aud.slotOf(openid);
  if (slot < 0) throw new WxError(40003);
  return slot;
}

const OA_ONLY = { product: 'oa', auth: 'app', appKinds: ['official-account'] } as const;

/**
 * GET /cgi-bin/user/get?next_openid= — followers, 10,000 per page; `total` stays the follower count.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Getting_a_User_List.html
 */
const userGet: Endpoint = {
  ...OA_ONLY,
  path: '/cgi-bin/user/get',
  method: 'ANY',
  handle(call) {
    const aud = audienceOf(call);
    const page = pageOpenids(aud, call.query.next_openid, nextFollower(aud), call.world.options.followerListEnding);
    const total = aud.subscribedCount;
    if (page.openids.length === 0) return { total, count: 0, next_openid: '' };
    return { total, count: page.openids.length, data: { openid: page.openids }, next_openid: page.nextOpenid };
  },
};

/** GET /cgi-bin/user/info?openid=&lang= — see user-view.ts. */
const userInfoApi: Endpoint = {
  ...OA_ONLY,
  path: '/cgi-bin/user/info',
  method: 'ANY',
  handle(call) {
    const aud = audienceOf(call);
    return userInfo(aud, slotOrThrow(aud, call.query.openid));
  },
};

/**
 * POST /cgi-bin/user/info/batchget — 1..100 openids (40032), one element per openid.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Get_users_basic_information_UnionID.html#UinonId
 */
const batchget: Endpoint = {
  ...OA_ONLY,
  path: '/cgi-bin/user/info/batchget',
  method: 'POST',
  handle(call) {
    const aud = audienceOf(call);
    const list = call.body().user_list;
    if (!Array.isArray(list)) throw new WxError(47001);
    if (list.length === 0 || list.length > 100) throw new WxError(40032);
    const slots = list.map((item: unknown) => {
      if (!item || typeof item !== 'object') throw new WxError(47001);
      return slotOrThrow(aud, (item as { openid?: unknown }).openid);
    });
    return { user_info_list: slots.map((s) => userInfo(aud, s)) };
  },
};

/**
 * POST /cgi-bin/user/info/updateremark — verified service accounts only (48001); remark over the limit → 40092.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Configuring_user_notes.html
 */
const updateRemark: Endpoint = {
  ...OA_ONLY,
  path: '/cgi-bin/user/info/updateremark',
  method: 'POST',
  handle(call) {
    const aud = audienceOf(call);
    if (!aud.app.verified) throw new WxError(48001);
    const b = call.body();
    const slot = slotOrThrow(aud, b.openid);
    if (!aud.isFollower(slot)) throw new WxError(40003);
    if (typeof b.remark !== 'string') throw new WxError(47001);
    const o = call.world.options;
    const len = o.oaNameUnit === 'bytes' ? Buffer.byteLength(b.remark, 'utf8') : [...b.remark].length;
    if (len > o.oaRemarkMax) throw new WxError(40092);
    if (b.remark === '') aud.remarks.delete(slot);
    else aud.remarks.set(slot, b.remark);
    return { errcode: 0, errmsg: 'ok' };
  },
};

export const userEndpoints: Endpoint[] = [userGet, userInfoApi, batchget, updateRemark];
