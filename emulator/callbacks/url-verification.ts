import { aesKeyFromEncodingAESKey, encryptMessage } from '../../connectors/common/crypto/message-crypto';
import { sha1Signature } from '../../connectors/common/crypto/signature';
import { Clock } from '../clock';
import type { CallbackTarget } from '../plugin-types';
import { attemptOnce, resolveUrl } from './callback.sender';
import { echoString, numericNonce } from './callback-ids';
import { DeliveryLog, type DeliveryRecord } from './delivery-log';
import { withQuery } from './envelope';
import { CallbackInputError } from './oa-event.builder';

/**
 * The "save server configuration" check WeChat runs before it accepts a callback URL.
 * OA/MP (wechat-api.md §4.1, §6.4): GET ?signature&timestamp&nonce&echostr; the gateway must echo echostr as-is.
 * WeCom (§5.10): GET ?msg_signature&timestamp&nonce&echostr with echostr encrypted for the CorpID; the gateway
 * must answer the decrypted plaintext exactly (no quotes, BOM or newline) within 1 s.
 * https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
 * https://developer.work.weixin.qq.com/document/path/90930#验证URL有效性
 */
export interface VerifyUrlOptions {
  url?: string;
  /** Default 5000 ms for OA/MP, 1000 ms for WeCom. */
  timeoutMs?: number;
  timestamp?: string;
  nonce?: string;
  random16?: Buffer;
  clock?: Clock;
  log?: DeliveryLog;
}

export async function verifyCallbackUrl(target: CallbackTarget, opts: VerifyUrlOptions = {}): Promise<DeliveryRecord> {
  const clock = opts.clock ?? new Clock();
  const log = opts.log ?? new DeliveryLog();
  const timestamp = opts.timestamp ?? String(clock.nowSeconds());
  const nonce = opts.nonce ?? numericNonce();
  const plain = echoString();
  let query: Record<string, string>;
  if (target.kind === 'wecom') {
    if (!target.encodingAESKey)
      throw new CallbackInputError(`wecom ${target.id} has no EncodingAESKey; WeCom callbacks are always encrypted`);
    const echostr = encryptMessage(aesKeyFromEncodingAESKey(target.encodingAESKey), plain, target.id, opts.random16);
    query = { msg_signature: sha1Signature(target.token, timestamp, nonce, echostr), timestamp, nonce, echostr };
  } else {
    query = { signature: sha1Signature(target.token, timestamp, nonce), timestamp, nonce, echostr: plain };
  }
  const url = withQuery(resolveUrl(target, opts.url), query);
  const record: DeliveryRecord = {
    id: log.nextId(),
    kind: target.kind,
    targetId: target.id,
    label: 'verify-url',
    url,
    mode: target.kind === 'wecom' ? 'safe' : target.mode,
    format: 'xml',
    method: 'GET',
    query,
    body: '',
    plaintext: plain,
    createdAt: clock.nowMs(),
    attempts: [],
    delivered: false,
    expectedEcho: plain,
  };
  log.add(record);
  const timeoutMs = opts.timeoutMs ?? (target.kind === 'wecom' ? 1000 : 5000);
  const a = await attemptOnce({ url, body: '', contentType: 'text/plain', method: 'GET' }, 1, timeoutMs, clock);
  if (a.outcome === 'delivered') {
    const ok = a.status === 200 && a.body === plain;
    a.reply = ok
      ? { kind: 'echo', ok }
      : { kind: 'echo', ok, reason: `expected the echo ${plain}`, message: a.body ?? '' };
    record.delivered = ok;
  }
  record.attempts.push(a);
  return record;
}
