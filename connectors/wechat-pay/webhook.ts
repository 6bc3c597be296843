import type { z } from 'zod';
import { bodyText } from '../common/callback-fields';
import { dedupeKey, inboxKind } from '../common/dedupe-key';
import { assertCallbackJsonBounds } from '../common/json';
import type { NormalizedEvent } from '../common/normalized-event';
import { assertFreshTimestamp, header, rejectMethod, type WebhookOptions } from '../common/webhook-guards';
import { type WebhookOutcome, type WebhookRequest, WebhookRejection } from '../common/webhook-types';
import type { WechatPayConfig } from './config';
import { mapRefund } from './mappers/refund.mapper';
import { payTimeIso } from './mappers/time';
import { mapTransaction } from './mappers/transaction.mapper';
import { decryptResource, ResourceDecryptError, verifyNotificationSignature } from './notification-crypto';
import { keyForSerial } from './notification-keys';
import {
  anyResourceSchema,
  notificationSchema,
  refundSchema,
  SIGNATURE_TYPE,
  SIGNTEST_PREFIX,
  transactionSchema,
} from './types';

/**
 * `POST /wechat/pay/:mchId` (DESIGN §8.2, wechat-api.md §8): RSA signature over the raw body with the key the
 * `Wechatpay-Serial` names, the timestamp window, AES-256-GCM resource, merchant/app checks. 204 on accept;
 * rejections carry Pay-style codes (the core writes `{code,message}`).
 * https://pay.weixin.qq.com/doc/v3/merchant/4012791861
 */
export type WechatPayWebhookAccount = Pick<
  WechatPayConfig,
  'mchId' | 'apiV3Key' | 'appIds' | 'platformCertPaths' | 'platformPublicKeyPath' | 'platformPublicKeyId'
>;

const signError = (message: string): WebhookRejection => new WebhookRejection(401, 'SIGN_ERROR', message);

function parseJson<T>(schema: z.ZodType<T>, text: string, what: string): T {
  // The decrypted resource is re-serialised into the inbox row below: bounded before any walk of it.
  assertCallbackJsonBounds(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new WebhookRejection(400, 'MALFORMED', `${what} is not valid JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new WebhookRejection(400, 'MALFORMED', `${what} has an unexpected shape`);
  return parsed.data;
}

function verifySignature(account: WechatPayWebhookAccount, req: WebhookRequest, opts: WebhookOptions): void {
  const timestamp = header(req, 'Wechatpay-Timestamp');
  const nonce = header(req, 'Wechatpay-Nonce');
  const signature = header(req, 'Wechatpay-Signature');
  const serial = header(req, 'Wechatpay-Serial');
  const type = header(req, 'Wechatpay-Signature-Type');
  if (!timestamp || !nonce || !signature || !serial) throw signError('missing Wechatpay signature headers');
  if (type !== undefined && type !== SIGNATURE_TYPE) throw signError('unsupported Wechatpay-Signature-Type');
  if (signature.startsWith(SIGNTEST_PREFIX)) throw signError('signature test probe');
  assertFreshTimestamp(timestamp, req.nowSeconds, opts);
  const key = keyForSerial(account, serial);
  if (!key) throw signError('unknown Wechatpay-Serial');
  if (!verifyNotificationSignature(key, timestamp, nonce, req.rawBody, signature))
    throw signError('signature mismatch');
}

export function handleWebhook(
  account: WechatPayWebhookAccount,
  req: WebhookRequest,
  opts: WebhookOptions,
): WebhookOutcome {
  if (req.method !== 'POST') return rejectMethod(req.method);
  verifySignature(account, req, opts);

  const notification = parseJson(notificationSchema, bodyText(req.rawBody), 'body');
  let plaintext: string;
  try {
    plaintext = decryptResource(account.apiV3Key, notification.resource);
  } catch (e) {
    if (e instanceof ResourceDecryptError) throw new WebhookRejection(401, 'DECRYPT_ERROR', e.message);
    throw e;
  }
  const ids = parseJson(anyResourceSchema, plaintext, 'resource');
  if (ids.mchid !== account.mchId)
    throw new WebhookRejection(401, 'MCHID_MISMATCH', 'mchid does not match this merchant');
  if (ids.appid !== undefined && account.appIds.length > 0 && !account.appIds.includes(ids.appid)) {
    throw new WebhookRejection(401, 'APPID_NOT_ALLOWED', 'appid is not configured for this merchant');
  }

  const eventType = notification.event_type;
  let events: NormalizedEvent[];
  if (eventType === 'TRANSACTION.SUCCESS') {
    events = [
      mapTransaction(account.mchId, notification.create_time, parseJson(transactionSchema, plaintext, 'resource')),
    ];
  } else if (eventType.startsWith('REFUND.')) {
    events = [mapRefund(account.mchId, notification.create_time, parseJson(refundSchema, plaintext, 'resource'))];
  } else {
    events = [
      {
        kind: 'unsupported',
        channel: 'wechat-pay',
        account: account.mchId,
        occurredAt: payTimeIso(notification.create_time),
        what: `pay.${eventType}`,
      },
    ];
  }
  const { resource: _sealed, ...envelope } = notification;
  return {
    type: 'accept',
    dedupeKey: dedupeKey(['pay', account.mchId], [notification.id]),
    kind: inboxKind('pay', eventType),
    raw: JSON.stringify({ ...envelope, resource: JSON.parse(plaintext) as unknown }),
    events,
    ack: { status: 204, body: '' },
  };
}
