import { type CallbackFields, optionalText } from '../common/callback-fields';
import { parseCallbackJson } from '../common/json';
import { echoVerification, openPush } from '../common/push-envelope';
import { mapPushMessage, pushContext, SUCCESS_ACK } from '../common/push-mapping';
import { header, rejectMethod, type WebhookOptions } from '../common/webhook-guards';
import { type WebhookOutcome, type WebhookRequest, WebhookRejection } from '../common/webhook-types';
import { parseCallbackXml } from '../common/xml';
import type { MiniProgramConfig } from './config';
import { mapMpEvent } from './mappers/event.mapper';
import type { MpMessageFormat } from './types';

/**
 * `GET/POST /wechat/mini-program/:appId` (DESIGN §8.2, wechat-api.md §6.4): verification as OA §4.1; pushes in
 * XML or JSON, plaintext, compatible or safe mode (same rules as the OA connector, see openPush), ReceiveId =
 * the MP appid. The format is read from the body's first character (`{` or `<`), then Content-Type, then the
 * account's `messageFormat`, so a console format switch does not lose pushes in flight.
 * https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html
 */
export type MiniProgramWebhookAccount = Pick<
  MiniProgramConfig,
  'appId' | 'token' | 'encodingAESKey' | 'previousEncodingAESKey' | 'messageFormat'
>;

export function detectFormat(text: string, fallback: MpMessageFormat): MpMessageFormat {
  const first = text.trimStart()[0];
  if (first === '{') return 'json';
  if (first === '<') return 'xml';
  return fallback;
}

export function handleWebhook(
  account: MiniProgramWebhookAccount,
  req: WebhookRequest,
  opts: WebhookOptions,
): WebhookOutcome {
  const token = account.token;
  if (!token)
    throw new WebhookRejection(404, 'PUSH_NOT_CONFIGURED', 'message push is not configured for this mini program');
  if (req.method === 'GET') return echoVerification(token, req, opts);
  if (req.method !== 'POST') return rejectMethod(req.method);

  const contentType = header(req, 'content-type') ?? '';
  const declared: MpMessageFormat = /json/i.test(contentType)
    ? 'json'
    : /xml/i.test(contentType)
      ? 'xml'
      : account.messageFormat;
  let outerFormat = declared;
  const parse = (text: string): CallbackFields => {
    // The first call sees the body, the second the decrypted payload, which has the body's format.
    outerFormat = detectFormat(text, outerFormat);
    return outerFormat === 'json' ? parseCallbackJson(text) : parseCallbackXml(text);
  };
  const creds = {
    token,
    encodingAESKey: account.encodingAESKey,
    previousEncodingAESKey: account.previousEncodingAESKey,
    receiveId: account.appId,
  };
  const opened = openPush(account, creds, req, opts, parse);
  const ctx = pushContext('mini-program', 'mp', account.appId, 'mp_openid', opened.fields);
  const mapped =
    optionalText(opened.fields, 'MsgType') === 'event'
      ? mapMpEvent(ctx, opened.fields)
      : mapPushMessage(ctx, opened.fields, opened.plaintext);
  return { type: 'accept', ...mapped, raw: opened.plaintext, ack: SUCCESS_ACK };
}
