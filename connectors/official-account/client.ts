import type { TokenSource } from '../common/http/token-source';
import type { WechatHttpClient } from '../common/http/wechat-http-client';
import { OaQrCodesApi } from './client/qrcodes.api';
import { OaTagsApi } from './client/tags.api';
import { OaUsersApi } from './client/users.api';

export { BATCHGET_MAX } from './client/users.api';
export { TAG_BATCH_MAX } from './client/tags.api';
export { QR_MAX_EXPIRE_SECONDS, showQrCodeUrl, type QrCodeRequest, type QrCodeTicket } from './client/qrcodes.api';

/**
 * Typed Official Account client for one appid. Built by `createClients` (src/tokens/clients.ts), which supplies
 * the account's HTTP caller and its shared access_token and jsapi ticket.
 */
export class OfficialAccountClient {
  readonly users: OaUsersApi;
  readonly tags: OaTagsApi;
  readonly qrcodes: OaQrCodesApi;

  constructor(
    readonly appId: string,
    readonly http: WechatHttpClient,
    readonly accessToken: TokenSource,
    readonly jsapiTicketSource: TokenSource,
  ) {
    this.users = new OaUsersApi(http, accessToken);
    this.tags = new OaTagsApi(http, accessToken);
    this.qrcodes = new OaQrCodesApi(http, accessToken);
  }

  /** The shared JS-SDK ticket (H5 `wx.config` signatures). */
  jsapiTicket(): Promise<string> {
    return this.jsapiTicketSource.get();
  }
}
