import { API_WEIXIN_ERRCODES, defineErrcodes } from '../common/http/errcode-table';

/**
 * Mini Program errcodes (wechat-api.md §6): login and phone number on top of the shared api.weixin.qq.com table.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
 */
export const MINI_PROGRAM_ERRCODES = defineErrcodes(API_WEIXIN_ERRCODES, {
  40226: 'PERMISSION_DENIED', // code blocked: high-risk user, login intercepted
});
