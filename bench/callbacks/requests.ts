import { randomBytes } from 'crypto';
import { MessageCipher } from '../../connectors/common/crypto/message-cipher';
import { sha1Signature } from '../../connectors/common/crypto/signature';

/**
 * The benchmark's OA account and its pre-built callbacks: encrypted (safe mode) text messages with distinct
 * MsgIds, signed the way WeChat signs them (wechat-api.md §4.2, §4.5). Built before the load starts so the
 * load generator only picks the next one.
 */
export const BENCH_OA = {
  appId: 'wxbench0000000001',
  token: 'benchtoken',
  encodingAESKey: 'BenchmarkEncodingAESKey0123456789abcdefghij',
  originalId: 'gh_bench00000001',
};

export interface PrebuiltCallback {
  path: string;
  body: string;
  msgId: string;
}

export function buildCallbacks(count: number, pathPrefix: string, firstMsgId: bigint): PrebuiltCallback[] {
  const cipher = new MessageCipher({
    token: BENCH_OA.token,
    encodingAESKey: BENCH_OA.encodingAESKey,
    receiveId: BENCH_OA.appId,
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const out: PrebuiltCallback[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const msgId = String(firstMsgId + BigInt(i));
    const openid = `oBench${String(i % 5000).padStart(22, '0')}`;
    const plain =
      `<xml><ToUserName><![CDATA[${BENCH_OA.originalId}]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName>` +
      `<CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[benchmark message ${i}]]></Content>` +
      `<MsgId>${msgId}</MsgId></xml>`;
    // sealReply builds exactly the Encrypt + msg_signature pair a safe-mode push carries.
    const nonce = String(randomBytes(4).readUInt32BE(0));
    const envelope = cipher.sealReply(plain, timestamp, nonce);
    const encrypt = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(envelope)![1]!;
    const query = new URLSearchParams({
      signature: sha1Signature(BENCH_OA.token, timestamp, nonce),
      timestamp,
      nonce,
      openid,
      encrypt_type: 'aes',
      msg_signature: sha1Signature(BENCH_OA.token, timestamp, nonce, encrypt),
    });
    out[i] = {
      path: `${pathPrefix}?${query.toString()}`,
      body: `<xml><ToUserName><![CDATA[${BENCH_OA.originalId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
      msgId,
    };
  }
  return out;
}
