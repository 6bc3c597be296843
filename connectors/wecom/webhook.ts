import {
  bodyText,
  type CallbackFields,
  createTimeIso,
  malformed,
  optionalText,
  optionalTypeName,
  typeName,
} from '../common/callback-fields';
import { contentDedupeKey, dedupeKey, inboxKind } from '../common/dedupe-key';
import type { MessageCipher } from '../common/crypto/message-cipher';
import { cipherFor, openEncrypted } from '../common/push-envelope';
import { type MappedCallback, SUCCESS_ACK, unsupported } from '../common/push-mapping';
import { base64Param, rejectMethod, type WebhookOptions } from '../common/webhook-guards';
import { type WebhookOutcome, type WebhookRequest, WebhookRejection } from '../common/webhook-types';
import { parseCallbackXml } from '../common/xml';
import type { WecomConfig } from './config';
import { mapContactChange, type WecomContext } from './mappers/contact.mapper';
import { mapChatChange } from './mappers/group.mapper';
import { mapMemberChange } from './mappers/member.mapper';
import { mapTagChange } from './mappers/tag.mapper';
import { isChatChangeType, isContactChangeType, isMemberChangeType, isTagChangeType } from './types';

/**
 * `GET/POST /wechat/wecom/:corpId` (DESIGN §8.2, wechat-api.md §5.10): always encrypted, ReceiveId = CorpID.
 * GET answers the decrypted echostr (no quotes, no newline) within WeCom's 1 s; POST acks `success`.
 * https://developer.work.weixin.qq.com/document/path/90930 (回调配置)
 */
export type WecomWebhookAccount = Pick<WecomConfig, 'corpId' | 'token' | 'encodingAESKey' | 'previousEncodingAESKey'>;

function cipher(account: WecomWebhookAccount): MessageCipher {
  const c = cipherFor(account, {
    token: account.token,
    encodingAESKey: account.encodingAESKey,
    previousEncodingAESKey: account.previousEncodingAESKey,
    receiveId: account.corpId,
  });
  if (!c) throw new WebhookRejection(401, 'NO_AES_KEY', 'no encodingAESKey is configured');
  return c;
}

export function handleWebhook(account: WecomWebhookAccount, req: WebhookRequest, opts: WebhookOptions): WebhookOutcome {
  if (req.method === 'GET') {
    const echostr = base64Param(req, 'echostr');
    if (echostr === undefined || echostr === '') throw malformed('missing echostr');
    const { message } = openEncrypted(cipher(account), req, echostr, opts);
    return { type: 'reply', reply: { status: 200, body: message, contentType: 'text/plain' } };
  }
  if (req.method !== 'POST') return rejectMethod(req.method);

  const outer = parseCallbackXml(bodyText(req.rawBody));
  const encrypt = optionalText(outer, 'Encrypt');
  if (encrypt === undefined)
    throw new WebhookRejection(401, 'ENCRYPTION_REQUIRED', 'WeCom callbacks are always encrypted');
  const { message } = openEncrypted(cipher(account), req, encrypt, opts);
  const fields = parseCallbackXml(message);
  const { seconds, iso } = createTimeIso(fields);
  const ctx: WecomContext = { corpId: account.corpId, createTime: seconds, occurredAt: iso };
  return { type: 'accept', ...mapWecom(ctx, fields, message), raw: message, ack: SUCCESS_ACK };
}

function mapWecom(ctx: WecomContext, fields: CallbackFields, plaintext: string): MappedCallback {
  const msgType = typeName(fields, 'MsgType');
  const base = { channel: 'wecom' as const, account: ctx.corpId, occurredAt: ctx.occurredAt };
  if (msgType !== 'event') {
    // Messages members send to the app: not part of customer data; kept for the record, deduped on MsgId.
    const msgId = optionalText(fields, 'MsgId');
    const kind = inboxKind('wecom', 'message', msgType);
    const key = msgId
      ? dedupeKey(['wecom', ctx.corpId, 'msg'], [msgId])
      : contentDedupeKey(['wecom', ctx.corpId, 'msg'], plaintext);
    return { kind, dedupeKey: key, events: [unsupported(base, kind)] };
  }
  const event = typeName(fields, 'Event');
  const changeType = optionalTypeName(fields, 'ChangeType') ?? '';
  if (event === 'change_external_contact' && isContactChangeType(changeType))
    return mapContactChange(ctx, changeType, fields);
  if (event === 'change_external_tag' && isTagChangeType(changeType)) return mapTagChange(ctx, changeType, fields);
  if (event === 'change_contact' && isMemberChangeType(changeType)) return mapMemberChange(ctx, changeType, fields);
  if (event === 'change_external_chat' && isChatChangeType(changeType)) return mapChatChange(ctx, changeType, fields);
  const kind = changeType ? inboxKind('wecom', event, changeType) : inboxKind('wecom', event);
  return {
    kind,
    dedupeKey: contentDedupeKey(['wecom', ctx.corpId, 'event'], plaintext),
    events: [unsupported(base, kind)],
  };
}
