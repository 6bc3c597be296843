import { API_WEIXIN_ERRCODES, defineErrcodes } from '../common/http/errcode-table';

/**
 * H5 web OAuth errcodes (wechat-api.md §7). The OAuth access_token is the visitor's own, not the shared one, so
 * 40001/42001 here mean "this visitor's token" and are never answered by refreshing the account token:
 * they are INVALID_CODE (log the visitor in again) rather than TOKEN_EXPIRED.
 * https://developers.weixin.qq.com/doc/offiaccount/OA_Web_Apps/Wechat_webpage_authorization.html
 */
export const H5_ERRCODES = defineErrcodes(API_WEIXIN_ERRCODES, {
  40001: 'INVALID_CODE',
  40014: 'INVALID_CODE',
  42001: 'INVALID_CODE',
  40030: 'INVALID_CODE', // invalid refresh_token
  42002: 'INVALID_CODE', // refresh_token expired
});
