import type { UserInfoWire } from '../../../connectors/official-account/client-types';
import type { WechatValue } from '../../storage/attributes/wechat-attribute.writer';

/**
 * The profile field OA user/info still gives about a follower (gender, city and the rest were withdrawn in 2021):
 * `language`, stored as the `wechat` value `wechat.language` (DESIGN §10.4). A non-follower's answer carries none.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/Get_users_basic_information_UnionID.html#UinonId
 */
export function userInfoValues(customerId: string, info: UserInfoWire): WechatValue[] {
  const language = info.language?.trim();
  return language ? [{ customerId, key: 'wechat.language', value: language.slice(0, 32) }] : [];
}
