import { type KeyObject, randomBytes, sign } from 'crypto';
import { CERT_SERIAL, encryptResource, PUB_KEY_ID, signNotification } from '../../connectors/wechat-pay/pay-fixtures';
import type { CorpusContext, HostileCase } from './corpus-types';
import { hostileJson, WRONG_ROOTS, withInvalidUtf8 } from './hostile-documents';
import { PAY } from './hostile-world';

/**
 * Hostile WeChat Pay notifications (wechat-api.md §8): signature, serial and freshness faults, signed bodies
 * that are hostile JSON, and signed envelopes whose encrypted resource is broken or hostile once decrypted.
 * https://pay.weixin.qq.com/doc/v3/merchant/4012791861
 */
const PATH = `/wechat/pay/${PAY.mchId}`;

function transaction(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    appid: PAY.appId,
    mchid: PAY.mchId,
    out_trade_no: `T${randomBytes(6).toString('hex')}`,
    transaction_id: `42${randomBytes(10).toString('hex')}`,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    success_time: '2024-05-18T10:40:05+08:00',
    payer: { openid: 'oHostilePayer0001' },
    amount: { total: 100, payer_total: 100, currency: 'CNY' },
    ...over,
  };
}

function envelope(resource: unknown, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `EV-${randomBytes(8).toString('hex')}`,
    create_time: '2024-05-18T10:40:06+08:00',
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: 'x',
    resource,
    ...over,
  };
}

function sealedResource(plaintext: string, apiV3Key = PAY.apiV3Key): Record<string, unknown> {
  return encryptResource(apiV3Key, plaintext, 'transaction');
}

export function payCases(ctx: CorpusContext): HostileCase[] {
  const { now, world } = ctx;
  const signer = world.payKeys.publicKeySigner;
  const signed = (
    name: string,
    body: string | Buffer,
    headerOver: Record<string, string | undefined> = {},
    key: KeyObject = signer,
    serial = PUB_KEY_ID,
    ts = now,
  ): HostileCase => {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const nonce = randomBytes(16).toString('hex');
    // Signed over the raw bytes, as WeChat Pay does, so even invalid UTF-8 carries a valid signature.
    const signature = sign(
      'sha256',
      Buffer.concat([Buffer.from(`${ts}\n${nonce}\n`), bytes, Buffer.from('\n')]),
      key,
    ).toString('base64');
    const base = {
      'wechatpay-timestamp': String(ts),
      'wechatpay-nonce': nonce,
      'wechatpay-signature': signature,
      'wechatpay-serial': serial,
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [k, v] of Object.entries({ ...base, ...headerOver })) if (v !== undefined) headers[k] = v;
    return { kind: 'http', name: `Pay: ${name}`, method: 'POST', path: PATH, headers, body };
  };
  const valid = () => JSON.stringify(envelope(sealedResource(JSON.stringify(transaction()))));
  const withResource = (name: string, plaintext: string, over: Record<string, unknown> = {}) =>
    signed(name, JSON.stringify(envelope(sealedResource(plaintext), over)));
  const resourceObject = (name: string, resource: Record<string, unknown>) =>
    signed(name, JSON.stringify(envelope(resource)));
  const good = sealedResource(JSON.stringify(transaction())) as { ciphertext: string; nonce: string };

  const headerFaults: HostileCase[] = [
    signed('Wechatpay-Timestamp missing', valid(), { 'wechatpay-timestamp': undefined }),
    signed('Wechatpay-Nonce missing', valid(), { 'wechatpay-nonce': undefined }),
    signed('Wechatpay-Signature missing', valid(), { 'wechatpay-signature': undefined }),
    signed('Wechatpay-Serial missing', valid(), { 'wechatpay-serial': undefined }),
    signed('unknown platform certificate serial', valid(), {}, signer, '7132D72A03E93CDDF8C03BBD1F37EEDF204C3FA0'),
    signed('unknown public key id', valid(), {}, signer, 'PUB_KEY_ID_0000000000000000000000000000'),
    signed('certificate serial of the wrong key', valid(), {}, signer, CERT_SERIAL),
    signed('serial of 5 KB', valid(), {}, signer, 'A'.repeat(5000)),
    signed('signed by a stranger key', valid(), {}, world.payKeys.strangerKey),
    signed('signature over another body', valid(), {
      'wechatpay-signature': signNotification('{}', signer, PUB_KEY_ID, now).headers['wechatpay-signature'],
    }),
    signed('signature that is not base64', valid(), { 'wechatpay-signature': '!!!not base64!!!' }),
    signed('signature truncated', valid(), {
      'wechatpay-signature': signNotification(valid(), signer, PUB_KEY_ID, now).headers['wechatpay-signature']!.slice(
        0,
        40,
      ),
    }),
    signed('signature test probe', valid(), { 'wechatpay-signature': 'WECHATPAY/SIGNTEST/abcdef' }),
    signed('timestamp an hour stale', valid(), {}, signer, PUB_KEY_ID, now - 3600),
    signed('timestamp an hour in the future', valid(), {}, signer, PUB_KEY_ID, now + 3600),
    signed('timestamp in milliseconds', valid(), {}, signer, PUB_KEY_ID, now * 1000),
    signed('unsupported signature type', valid(), { 'wechatpay-signature-type': 'WECHATPAY2-SHA1-RSA1024' }),
  ];

  // Signed hostile bodies: a valid signer still cannot make the gateway walk unbounded input.
  const wrap = (inner: string) =>
    `{"id":"EV-hostile","create_time":${inner},"event_type":"TRANSACTION.SUCCESS","resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"${good.ciphertext}","nonce":"${good.nonce}","associated_data":"transaction"}}`;
  const bodies = [...hostileJson(wrap), ...WRONG_ROOTS].map((d) => signed(`signed body: ${d.name}`, d.body));

  const resourceFaults: HostileCase[] = [
    resourceObject('resource under another APIv3 key', sealedResource(JSON.stringify(transaction()), 'z'.repeat(32))),
    resourceObject('resource ciphertext truncated', {
      ...good,
      ciphertext: good.ciphertext.slice(0, -8),
      algorithm: 'AEAD_AES_256_GCM',
      associated_data: 'transaction',
    }),
    resourceObject('resource ciphertext shorter than the tag', {
      ...good,
      ciphertext: 'AAAA',
      algorithm: 'AEAD_AES_256_GCM',
      associated_data: 'transaction',
    }),
    resourceObject('resource nonce changed', {
      ...good,
      nonce: 'abcdefabcdef',
      algorithm: 'AEAD_AES_256_GCM',
      associated_data: 'transaction',
    }),
    resourceObject('resource associated_data changed', {
      ...good,
      algorithm: 'AEAD_AES_256_GCM',
      associated_data: 'refund',
    }),
    resourceObject('resource algorithm unknown', { ...good, algorithm: 'AES_256_CBC', associated_data: 'transaction' }),
    resourceObject('resource empty nonce', {
      ...good,
      nonce: '',
      algorithm: 'AEAD_AES_256_GCM',
      associated_data: 'transaction',
    }),
    withResource('resource nested 5,000 deep', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)),
    withResource('resource arrays nested 50,000 deep', '['.repeat(50_000) + ']'.repeat(50_000)),
    withResource(
      'resource with a duplicated mchid',
      JSON.stringify(transaction()).replace('{', `{"mchid":"1900000999",`),
    ),
    withResource('resource not JSON', 'mchid=1900000109'),
    withResource('resource for another merchant', JSON.stringify(transaction({ mchid: '1900000999' }))),
    withResource('resource amount overflow', JSON.stringify(transaction()).replace('"total":100', '"total":1e400')),
    withResource(
      'resource amount past 2^53',
      JSON.stringify(transaction()).replace('"total":100', '"total":9007199254740993'),
    ),
    withResource('resource negative amount', JSON.stringify(transaction({ amount: { total: -5 } }))),
    withResource(
      'resource success_time in the year 99999',
      JSON.stringify(transaction({ success_time: '+099999-01-01T00:00:00Z' })),
    ),
    withResource('resource success_time not a time', JSON.stringify(transaction({ success_time: 'yesterday' }))),
    withResource('resource missing transaction_id', JSON.stringify(transaction({ transaction_id: undefined }))),
    withResource('event_type of 300 characters', JSON.stringify(transaction()), {
      event_type: `TRANSACTION.${'X'.repeat(300)}`,
    }),
    withResource('notification id of 100 characters', JSON.stringify(transaction()), { id: 'E'.repeat(100) }),
    withResource('notification id empty', JSON.stringify(transaction()), { id: '' }),
    signed('signed body with invalid UTF-8', withInvalidUtf8('{"id":"EV-1","x":"', '"}')),
    { kind: 'http', name: 'Pay: GET', method: 'GET', path: PATH },
    {
      kind: 'http',
      name: 'Pay: unknown merchant',
      method: 'POST',
      path: '/wechat/pay/1999999999',
      headers: { 'content-type': 'application/json' },
      body: valid(),
    },
    {
      kind: 'http',
      name: 'Pay: body over maxBodyBytes',
      method: 'POST',
      path: PATH,
      headers: { 'content-type': 'application/json' },
      body: `{"x":"${'y'.repeat(300 * 1024)}"}`,
    },
  ];
  return [...headerFaults, ...bodies, ...resourceFaults];
}
