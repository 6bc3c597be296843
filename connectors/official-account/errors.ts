import { API_WEIXIN_ERRCODES, defineErrcodes } from '../common/http/errcode-table';

/**
 * Official Account errcodes (wechat-api.md §0.1, §2, §3): user management and tags on top of the shared
 * api.weixin.qq.com table.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html
 */
export const OFFICIAL_ACCOUNT_ERRCODES = defineErrcodes(API_WEIXIN_ERRCODES, {
  40003: 'SUBJECT_GONE', // invalid openid: not (or no longer) a follower of this account
  40092: 'INVALID_REQUEST', // remark too long
  45056: 'LIMIT_EXCEEDED', // more than 100 tags on the account
  45057: 'LIMIT_EXCEEDED', // tag has > 100,000 fans, cannot delete
  45058: 'PERMISSION_DENIED', // reserved tags 0/1/2
  45059: 'SUBJECT_REFUSED', // a user would exceed 20 tags
  45157: 'CONFLICT', // duplicate / invalid tag name
  45158: 'INVALID_REQUEST', // tag name longer than 30 bytes
  45159: 'TAG_GONE', // invalid tag id
  49003: 'SUBJECT_GONE', // openid of another appid in a tag batch
  40052: 'INVALID_REQUEST', // qrcode/create: unknown action_name
  40053: 'INVALID_REQUEST', // qrcode/create: scene out of range or scene_str not 1..64 characters
  45029: 'LIMIT_EXCEEDED', // qrcode/create: 100,000 permanent codes on the account
});
