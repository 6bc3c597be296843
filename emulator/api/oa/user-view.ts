import type { OaAudience } from '../../world/oa-audience';
import { SUBSCRIBE_SCENES } from '../../world/oa-audience';

/**
 * One element of user/info and batchget (wechat-api.md §2.2, §13 item 11): no nickname/avatar/sex/city since
 * 2021; `unionid` only when the OA is bound to an open platform; a non-follower gets `subscribe:0` and its openid
 * only. https://developers.weixin.qq.com/doc/offiaccount/User_Management/Get_users_basic_information_UnionID.html
 */
export function userInfo(aud: OaAudience, slot: number): Record<string, unknown> {
  const openid = aud.openid(slot);
  if (!aud.isFollower(slot)) return { subscribe: 0, openid };
  const op = aud.app.openPlatform;
  const qr = aud.qr(slot);
  const info: Record<string, unknown> = {
    subscribe: 1,
    openid,
    language: aud.language(slot),
    subscribe_time: aud.subscribeTime.get(slot),
  };
  if (op) info.unionid = op.unionCodec.encode(aud.slotPerson.get(slot));
  info.remark = aud.remarks.get(slot) ?? '';
  info.groupid = 0;
  info.tagid_list = aud.tags.tagsOf(slot);
  info.subscribe_scene = SUBSCRIBE_SCENES[aud.scene.get(slot)] ?? 'ADD_SCENE_OTHERS';
  info.qr_scene = qr.scene;
  info.qr_scene_str = qr.sceneStr;
  return info;
}
