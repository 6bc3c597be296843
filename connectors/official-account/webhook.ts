import { safeEqual } from '../common/crypto/signature';
import { optionalText } from '../common/callback-fields';
import { echoVerification, openPush, type PushCredentials } from '../common/push-envelope';
import { mapPushMessage, pushContext, SUCCESS_ACK } from '../common/push-mapping';
import { rejectMethod, type WebhookOptions } from '../common/webhook-guards';
import { type WebhookOutcome, type WebhookRequest, WebhookRejection } from '../common/webhook-types';
import { parseCallbackXml } from '../common/xml';
import type { OfficialAccountConfig } from './config';
import { mapOaEvent } from './mappers/event.mapper';

/**
 * `GET/POST /wechat/official-account/:appId` (DESIGN §8.2, wechat-api.md §4).
 * https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
 *
 * Modes: an account without `encodingAESKey` takes plaintext pushes (and compatible-mode pushes, reading their
 * plaintext fields); an account with one requires `Encrypt` (compatible or safe mode) and refuses plaintext
 * bodies — see openPush for why. The ack is `success` in every mode: WeChat only requires encryption for
 * passive replies, and `success` is not one.
 */
export type OfficialAccountWebhookAccount = Pick<
  OfficialAccountConfig,
  'appId' | 'token' | 'encodingAESKey' | 'previousEncodingAESKey' | 'originalId'
>;

export function handleWebhook(
  account: OfficialAccountWebhookAccount,
  req: WebhookRequest,
  opts: WebhookOptions,
): WebhookOutcome {
  if (req.method === 'GET') return echoVerification(account.token, req, opts);
  if (req.method !== 'POST') return rejectMethod(req.method);

  const creds: PushCredentials = {
    token: account.token,
    encodingAESKey: account.encodingAESKey,
    previousEncodingAESKey: account.previousEncodingAESKey,
    receiveId: account.appId,
  };
  const opened = openPush(account, creds, req, opts, parseCallbackXml);
  const { fields } = opened;
  // ToUserName (gh_…) is inside the authenticated payload: a message for another OA is refused.
  if (account.originalId && !safeEqual(optionalText(fields, 'ToUserName'), account.originalId)) {
    throw new WebhookRejection(401, 'WRONG_ACCOUNT', 'ToUserName does not match this account');
  }
  const ctx = pushContext('official-account', 'oa', account.appId, 'oa_openid', fields);
  const mapped =
    optionalText(fields, 'MsgType') === 'event'
      ? mapOaEvent(ctx, fields, opened.plaintext, opts)
      : mapPushMessage(ctx, fields, opened.plaintext);
  return { type: 'accept', raw: opened.plaintext, ...mapped, ack: SUCCESS_ACK };
}
