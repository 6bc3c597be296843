import { createCipheriv, randomBytes } from 'crypto';
import { aesKeyFromEncodingAESKey } from '../../../connectors/common/crypto/message-crypto';
import {
  type CorpusContext,
  type HostileCase,
  type HttpCase,
  oaText,
  plainQuery,
  qs,
  sealed,
  signedEncrypt,
  xmlEnvelope,
} from './corpus-types';
import {
  type Doc,
  hostileJson,
  WRONG_ROOTS,
  withInvalidUtf8,
  XML_DECLARATIONS,
  XML_STRUCTURE,
} from './hostile-documents';
import { MP_JSON, MP_SAFE, OA_PLAIN, OA_SAFE, WECOM } from './hostile-world';

/**
 * Hostile OA, Mini Program and WeCom callbacks (wechat-api.md §4–§6): bodies that are hostile on their own
 * (sent with a valid signature, so they reach the parser and the mappers), hostile inside a correctly signed
 * and encrypted envelope, and envelopes whose crypto or freshness is wrong.
 */
const post = (name: string, path: string, body: string | Buffer, contentType = 'text/xml'): HttpCase => ({
  kind: 'http',
  name,
  method: 'POST',
  path,
  headers: { 'content-type': contentType },
  body,
});

interface Encrypted {
  label: string;
  path: string;
  token: string;
  encodingAESKey: string;
  receiveId: string;
  /** The outer body around an Encrypt value. */
  outer(encrypt: string): string;
  /** A well-formed plaintext message for this account, fields overridden. */
  message(over?: Record<string, string>): string;
  format: 'xml' | 'json';
}

function toJson(fields: Record<string, string>): string {
  return JSON.stringify(fields);
}

/** AES-256-CBC over `plain` as given (no padding added), IV = key[0..16) as WeChat does (wechat-api.md §4.5). */
function encryptBlocks(encodingAESKey: string, plain: Buffer): string {
  const key = aesKeyFromEncodingAESKey(encodingAESKey);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

function frame(message: Buffer, receiveId: string, declaredLength = message.length): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(declaredLength >>> 0, 0);
  return Buffer.concat([randomBytes(16), len, message, Buffer.from(receiveId, 'utf8')]);
}

function padTo32(data: Buffer, padByte?: number): Buffer {
  const n = 32 - (data.length % 32);
  return Buffer.concat([data, Buffer.alloc(n, padByte ?? n)]);
}

/** Crypto, signature and freshness faults of an encrypted push; each must be a 401/400 with nothing stored. */
function cryptoCases(t: Encrypted, now: number): HostileCase[] {
  const ts = String(now);
  const msg = t.message();
  const good = sealed(t.token, t.encodingAESKey, t.receiveId, msg, ts);
  const withEncrypt = (name: string, encrypt: string, query = signedEncrypt(t.token, encrypt, ts)): HostileCase =>
    post(
      `${t.label}: ${name}`,
      `${t.path}?${qs(query)}`,
      t.outer(encrypt),
      t.format === 'json' ? 'application/json' : 'text/xml',
    );
  const badPad = (padByte: number) =>
    encryptBlocks(t.encodingAESKey, padTo32(frame(Buffer.from(msg), t.receiveId), padByte));
  return [
    withEncrypt(
      'ciphertext encrypted for another ReceiveId',
      sealed(t.token, t.encodingAESKey, 'wxSomeoneElse000001', msg, ts).encrypt,
    ),
    withEncrypt('ciphertext with an empty ReceiveId', sealed(t.token, t.encodingAESKey, '', msg, ts).encrypt),
    withEncrypt(
      'ciphertext under another EncodingAESKey',
      sealed(t.token, 'x'.repeat(43), t.receiveId, msg, ts).encrypt,
    ),
    withEncrypt('truncated base64 ciphertext', good.encrypt.slice(0, -7)),
    withEncrypt('base64 ciphertext cut to one block', good.encrypt.slice(0, 22)),
    withEncrypt('base64 with extra padding characters', `${good.encrypt.slice(0, -4)}====`),
    withEncrypt('ciphertext that is not base64', '!!!!@@@@####$$$$%%%%^^^^'),
    withEncrypt('ciphertext of one zero byte', 'AA=='),
    withEncrypt('PKCS#7 padding byte 0', badPad(0)),
    withEncrypt('PKCS#7 padding byte 33', badPad(33)),
    withEncrypt('PKCS#7 padding byte 255', badPad(255)),
    withEncrypt(
      'declared message length past the data',
      encryptBlocks(t.encodingAESKey, padTo32(frame(Buffer.from(msg), t.receiveId, 0xffffffff))),
    ),
    withEncrypt('plaintext shorter than its header', encryptBlocks(t.encodingAESKey, padTo32(Buffer.alloc(8)))),
    withEncrypt('msg_signature over another ciphertext', good.encrypt, signedEncrypt(t.token, `${good.encrypt}x`, ts)),
    withEncrypt('msg_signature with the wrong token', good.encrypt, signedEncrypt('not-the-token', good.encrypt, ts)),
    withEncrypt('msg_signature missing', good.encrypt, { timestamp: ts, nonce: '1', encrypt_type: 'aes' }),
    withEncrypt('msg_signature upper-cased', good.encrypt, {
      ...good.query,
      msg_signature: good.query.msg_signature!.toUpperCase(),
    }),
    withEncrypt('timestamp an hour stale', good.encrypt, signedEncrypt(t.token, good.encrypt, String(now - 3600))),
    withEncrypt(
      'timestamp an hour in the future',
      good.encrypt,
      signedEncrypt(t.token, good.encrypt, String(now + 3600)),
    ),
    withEncrypt('timestamp in milliseconds', good.encrypt, signedEncrypt(t.token, good.encrypt, String(now * 1000))),
    withEncrypt('timestamp of 25 digits', good.encrypt, signedEncrypt(t.token, good.encrypt, '9'.repeat(25))),
    withEncrypt('negative timestamp', good.encrypt, signedEncrypt(t.token, good.encrypt, '-1')),
    withEncrypt('timestamp missing', good.encrypt, {
      msg_signature: good.query.msg_signature!,
      nonce: good.query.nonce!,
    }),
    withEncrypt('nonce missing', good.encrypt, { msg_signature: good.query.msg_signature!, timestamp: ts }),
    withEncrypt('empty Encrypt', ''),
  ];
}

/** Hostile documents sealed correctly: they reach the parser only after decryption. */
function sealedDocuments(t: Encrypted, now: number, docs: Doc[]): HostileCase[] {
  const ts = String(now);
  return docs
    .filter((d) => typeof d.body === 'string' && d.body.length < 200_000)
    .map((d) => {
      const s = sealed(t.token, t.encodingAESKey, t.receiveId, d.body as string, ts);
      return post(
        `${t.label}: sealed ${d.name}`,
        `${t.path}?${qs(s.query)}`,
        t.outer(s.encrypt),
        t.format === 'json' ? 'application/json' : 'text/xml',
      );
    });
}

/** Valid envelopes whose message fields are hostile (too long, malformed, duplicated). */
function hostileFields(now: number): Record<string, string>[] {
  const overrides: Record<string, string>[] = [
    { FromUserName: 'o'.repeat(1000) },
    { FromUserName: 'o with spaces' },
    { FromUserName: '' },
    { MsgType: 'x'.repeat(10_000) },
    { MsgType: 'text<script>' },
    { MsgType: '' },
    { CreateTime: '99999999999999999999' },
    { CreateTime: '99999999999' },
    { CreateTime: '-1' },
    { CreateTime: '1.5' },
    { CreateTime: '1e9' },
    { MsgType: 'event', Event: 'e'.repeat(300) },
    { MsgType: 'event', Event: 'subscribe\u0000' },
  ];
  return overrides.map((over) => oaText(over, now));
}

function oaPlainCases(now: number): HostileCase[] {
  const ts = String(now);
  const path = `/wechat/official-account/${OA_PLAIN.appId}?${qs(plainQuery(OA_PLAIN.token, ts))}`;
  const label = 'OA plaintext (signed)';
  const docs = [...XML_DECLARATIONS, ...XML_STRUCTURE].map((d) => post(`${label}: ${d.name}`, path, d.body));
  const fields = hostileFields(now).map((f, i) => post(`${label}: hostile field #${i + 1}`, path, xmlEnvelope(f)));
  const dup = post(
    `${label}: duplicated MsgType`,
    path,
    `<xml><ToUserName>gh_h0571e000001</ToUserName><FromUserName>oHostile01</FromUserName><CreateTime>${ts}</CreateTime><MsgType>text</MsgType><MsgType>event</MsgType><Event>subscribe</Event></xml>`,
  );
  const dupFrom = post(
    `${label}: duplicated FromUserName`,
    path,
    `<xml><ToUserName>gh_h0571e000001</ToUserName><FromUserName>oA</FromUserName><FromUserName>oB</FromUserName><CreateTime>${ts}</CreateTime><MsgType>text</MsgType><Content>x</Content><MsgId>1</MsgId></xml>`,
  );
  const unsigned = (name: string, query: Record<string, string>): HostileCase =>
    post(`${label}: ${name}`, `/wechat/official-account/${OA_PLAIN.appId}?${qs(query)}`, xmlEnvelope(oaText({}, now)));
  return [
    ...docs,
    ...fields,
    dup,
    dupFrom,
    unsigned('no query at all', {}),
    unsigned('signature with the wrong token', plainQuery('wrong', ts)),
    unsigned('signature missing', { timestamp: ts, nonce: '1' }),
    unsigned('stale timestamp', plainQuery(OA_PLAIN.token, String(now - 3600))),
    unsigned('future timestamp', plainQuery(OA_PLAIN.token, String(now + 3600))),
    unsigned('signature of 10 KB', { signature: 'a'.repeat(10_000), timestamp: ts, nonce: '1' }),
    {
      kind: 'http',
      name: `${label}: GET echostr with a bad signature`,
      method: 'GET',
      path: `/wechat/official-account/${OA_PLAIN.appId}?${qs({ ...plainQuery('wrong', ts), echostr: 'x' })}`,
    },
    {
      kind: 'http',
      name: `${label}: GET without echostr`,
      method: 'GET',
      path: `/wechat/official-account/${OA_PLAIN.appId}?${qs(plainQuery(OA_PLAIN.token, ts))}`,
    },
    { kind: 'http', name: `${label}: PUT`, method: 'PUT', path, body: 'x' },
    post(
      `${label}: unknown account`,
      `/wechat/official-account/wxDoesNotExist0000?${qs(plainQuery(OA_PLAIN.token, ts))}`,
      xmlEnvelope(oaText({}, now)),
    ),
    post(
      `${label}: body over maxBodyBytes`,
      path,
      `<xml><Content><![CDATA[${'x'.repeat(300 * 1024)}]]></Content></xml>`,
    ),
  ];
}

function oaSafe(): Encrypted {
  return {
    label: 'OA safe mode',
    path: `/wechat/official-account/${OA_SAFE.appId}`,
    token: OA_SAFE.token,
    encodingAESKey: OA_SAFE.encodingAESKey,
    receiveId: OA_SAFE.appId,
    outer: (encrypt) => xmlEnvelope({ ToUserName: OA_SAFE.originalId, Encrypt: encrypt }),
    message: (over) => xmlEnvelope(oaText({ ToUserName: OA_SAFE.originalId, ...over })),
    format: 'xml',
  };
}

function mpSafe(): Encrypted {
  return {
    label: 'MP safe mode (JSON)',
    path: `/wechat/mini-program/${MP_SAFE.appId}`,
    token: MP_SAFE.token,
    encodingAESKey: MP_SAFE.encodingAESKey,
    receiveId: MP_SAFE.appId,
    outer: (encrypt) => toJson({ ToUserName: 'gh_mp', Encrypt: encrypt }),
    message: (over) => toJson(oaText({ ToUserName: 'gh_mp', ...over })),
    format: 'json',
  };
}

function wecom(): Encrypted {
  return {
    label: 'WeCom',
    path: `/wechat/wecom/${WECOM.corpId}`,
    token: WECOM.token,
    encodingAESKey: WECOM.encodingAESKey,
    receiveId: WECOM.corpId,
    outer: (encrypt) => xmlEnvelope({ ToUserName: WECOM.corpId, AgentID: '', Encrypt: encrypt }),
    message: (over) =>
      xmlEnvelope({
        ToUserName: WECOM.corpId,
        FromUserName: 'sys',
        CreateTime: '1714036504',
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'add_external_contact',
        UserID: 'zhangsan',
        ExternalUserID: 'wmHostile0001',
        ...over,
      }),
    format: 'xml',
  };
}

function mpJsonPlainCases(now: number): HostileCase[] {
  const ts = String(now);
  const path = `/wechat/mini-program/${MP_JSON.appId}?${qs(plainQuery(MP_JSON.token, ts))}`;
  const label = 'MP JSON plaintext (signed)';
  // The hostile value sits where the mapper reads it (CreateTime), so a number that survives quoting is still refused.
  const wrap = (inner: string) =>
    `{"ToUserName":"gh_mp","FromUserName":"oHostileMp01","CreateTime":${inner},"MsgType":"event","Event":"user_enter_tempsession"}`;
  const docs = [...hostileJson(wrap), ...WRONG_ROOTS].map((d) =>
    post(`${label}: ${d.name}`, path, d.body, 'application/json'),
  );
  const fields = hostileFields(now).map((f, i) =>
    post(`${label}: hostile field #${i + 1}`, path, toJson(f), 'application/json'),
  );
  const unsignedDeep = post(
    'MP JSON (unsigned): nested 5,000 deep, parsed before the signature check',
    `/wechat/mini-program/${MP_JSON.appId}`,
    '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
    'application/json',
  );
  const xmlDocs = XML_DECLARATIONS.slice(0, 4).map((d) =>
    post(`${label}: XML body ${d.name}`, path, d.body, 'application/json'),
  );
  return [...docs, ...fields, unsignedDeep, ...xmlDocs];
}

function wecomGetCases(now: number): HostileCase[] {
  const ts = String(now);
  const get = (name: string, query: Record<string, string>): HostileCase => ({
    kind: 'http',
    name: `WeCom GET: ${name}`,
    method: 'GET',
    path: `/wechat/wecom/${WECOM.corpId}?${qs(query)}`,
  });
  const good = sealed(WECOM.token, WECOM.encodingAESKey, WECOM.corpId, '1234567890', ts);
  const other = sealed(WECOM.token, WECOM.encodingAESKey, 'wwSomeoneElse', '1234567890', ts);
  return [
    get('echostr truncated', {
      ...signedEncrypt(WECOM.token, good.encrypt.slice(0, -6), ts),
      echostr: good.encrypt.slice(0, -6),
    }),
    get('echostr for another corp', { ...other.query, echostr: other.encrypt }),
    get('echostr with a bad msg_signature', { ...good.query, msg_signature: '0'.repeat(40), echostr: good.encrypt }),
    get('echostr missing', good.query),
    get('stale timestamp', { ...signedEncrypt(WECOM.token, good.encrypt, String(now - 1000)), echostr: good.encrypt }),
  ];
}

/** Valid, correctly signed messages with content that stresses storage: each is stored once with a 200. */
function oddButValid(now: number): HostileCase[] {
  const ts = String(now);
  const oa = `/wechat/official-account/${OA_PLAIN.appId}?${qs(plainQuery(OA_PLAIN.token, ts))}`;
  const mp = `/wechat/mini-program/${MP_JSON.appId}?${qs(plainQuery(MP_JSON.token, ts))}`;
  let msgId = BigInt(now) * 1000n;
  const next = () => String((msgId += 1n));
  const accept = (c: HttpCase): HttpCase => ({ ...c, accepted: true });
  const xml = (name: string, content: string) =>
    accept(
      post(
        `OA plaintext (signed), valid: ${name}`,
        oa,
        xmlEnvelope(oaText({ Content: content, MsgId: next() }, now)).replace(
          `<![CDATA[${content}]]>`,
          content.startsWith('raw:') ? content.slice(4) : `<![CDATA[${content}]]>`,
        ),
      ),
    );
  const json = (name: string, contentLiteral: string, id = next()) =>
    accept(
      post(
        `MP JSON plaintext (signed), valid: ${name}`,
        mp,
        `{"ToUserName":"gh_mp","FromUserName":"oHostileMp01","CreateTime":${now},"MsgType":"text","Content":${contentLiteral},"MsgId":${id}}`,
        'application/json',
      ),
    );
  return [
    xml('emoji and CJK', '你好 😀 𠀀'),
    xml('escaped markup in plain text', 'raw:a &lt;b&gt; &amp; &#x1F600; &#0; &#xD800;'),
    xml('CDATA split around ]]>', 'raw:<![CDATA[a]]]]><![CDATA[>b]]>'),
    xml('content of 200 KB', 'x'.repeat(200 * 1024)),
    json('lone surrogate escape', '"\\ud800 and \\udfff"'),
    json('NUL and control escapes', '"a\\u0000b\\u0001c\\n"'),
    json('emoji escape pair', '"\\ud83d\\ude00"'),
    json('MsgId past 2^64 as a bare number', '"big id"', `184467440737${String(now).slice(-8)}`),
  ];
}

export function callbackCases(ctx: CorpusContext): HostileCase[] {
  const { now } = ctx;
  const encrypted = [oaSafe(), mpSafe(), wecom()];
  const cases: HostileCase[] = [
    ...oaPlainCases(now),
    ...mpJsonPlainCases(now),
    ...wecomGetCases(now),
    ...oddButValid(now),
  ];
  for (const t of encrypted) {
    cases.push(...cryptoCases(t, now));
    const docs =
      t.format === 'json'
        ? hostileJson(
            (inner) => `{"ToUserName":"gh_mp","FromUserName":"oMp","CreateTime":${inner},"MsgType":"text"}`,
          ).filter((d) => typeof d.body === 'string')
        : [...XML_DECLARATIONS, ...XML_STRUCTURE.slice(0, 16)];
    cases.push(...sealedDocuments(t, now, docs));
    // Encrypted accounts refuse plaintext bodies whatever they hold (the plain signature does not cover a body).
    cases.push(
      post(
        `${t.label}: plaintext body with a valid plain signature`,
        `${t.path}?${qs(plainQuery(t.token, String(now)))}`,
        t.message(),
        t.format === 'json' ? 'application/json' : 'text/xml',
      ),
    );
    cases.push(
      post(
        `${t.label}: Encrypt given twice`,
        `${t.path}?${qs(sealed(t.token, t.encodingAESKey, t.receiveId, t.message(), String(now)).query)}`,
        `<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>`,
      ),
    );
    cases.push(
      post(
        `${t.label}: invalid UTF-8 outer body`,
        `${t.path}?${qs(plainQuery(t.token, String(now)))}`,
        withInvalidUtf8('<xml><Encrypt><![CDATA[', ']]></Encrypt></xml>'),
      ),
    );
  }
  return cases;
}
