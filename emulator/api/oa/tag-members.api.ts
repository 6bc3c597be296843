import { WxError } from '../../core/wx-error';
import type { Call, Endpoint } from '../../http/endpoint';
import type { OaAudience } from '../../world/oa-audience';
import { pageOpenids } from './paging';
import { audienceOf, slotOrThrow } from './user.api';

/**
 * Tag membership APIs (wechat-api.md §3): batch (un)tagging takes 1..50 openids (40032) that must be followers
 * of this OA (an openid of another app → 49003, anything else → 40003); getidlist; user/tag/get pages a tag's
 * fans 10,000 at a time [choice], ending like user/get.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html
 */
const OA_TAGS = { product: 'oa', auth: 'app', appKinds: ['official-account'], method: 'POST' } as const;

function batchSlots(call: Call, aud: OaAudience): { tagid: unknown; slots: number[] } {
  const b = call.body();
  const list = b.openid_list;
  if (!Array.isArray(list)) throw new WxError(47001);
  if (list.length === 0 || list.length > 50) throw new WxError(40032);
  aud.tags.get(b.tagid);
  const slots = list.map((openid: unknown) => {
    const slot = aud.slotOf(openid);
    if (slot >= 0 && aud.isFollower(slot)) return slot;
    if (slot < 0 && typeof openid === 'string' && call.world.appOfOpenid(openid)) throw new WxError(49003);
    throw new WxError(40003);
  });
  return { tagid: b.tagid, slots };
}

/** POST /cgi-bin/tags/members/batchtagging {"openid_list":[…],"tagid"} */
const batchTagging: Endpoint = {
  ...OA_TAGS,
  path: '/cgi-bin/tags/members/batchtagging',
  handle(call) {
    const aud = audienceOf(call);
    const { tagid, slots } = batchSlots(call, aud);
    aud.tags.tagSlots(tagid, slots);
    return { errcode: 0, errmsg: 'ok' };
  },
};

/** POST /cgi-bin/tags/members/batchuntagging — same shape and limits. */
const batchUntagging: Endpoint = {
  ...OA_TAGS,
  path: '/cgi-bin/tags/members/batchuntagging',
  handle(call) {
    const aud = audienceOf(call);
    const { tagid, slots } = batchSlots(call, aud);
    aud.tags.untagSlots(tagid, slots);
    return { errcode: 0, errmsg: 'ok' };
  },
};

/** POST /cgi-bin/tags/getidlist {"openid"} → {"tagid_list":[…]} */
const getIdList: Endpoint = {
  ...OA_TAGS,
  path: '/cgi-bin/tags/getidlist',
  handle(call) {
    const aud = audienceOf(call);
    return { tagid_list: aud.tags.tagsOf(slotOrThrow(aud, call.body().openid)) };
  },
};

/** POST /cgi-bin/user/tag/get {"tagid","next_openid"} → {"count","data":{"openid":[…]},"next_openid"} */
const tagFans: Endpoint = {
  ...OA_TAGS,
  path: '/cgi-bin/user/tag/get',
  handle(call) {
    const aud = audienceOf(call);
    const b = call.body();
    const tag = aud.tags.get(b.tagid);
    const page = pageOpenids(
      aud,
      b.next_openid,
      (from) => tag.members.nextSet(from),
      call.world.options.followerListEnding,
    );
    if (page.openids.length === 0) return { count: 0, next_openid: '' };
    return { count: page.openids.length, data: { openid: page.openids }, next_openid: page.nextOpenid };
  },
};

export const tagMemberEndpoints: Endpoint[] = [batchTagging, batchUntagging, getIdList, tagFans];
