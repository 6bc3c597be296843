import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { select } from '../../src/storage/sql';
import { OA, oaText, post } from './callback-support';

describe('WeChat callback routes → inbox (DESIGN §6)', () => {
  const db = useTestDatabase();
  let t: TestApp;
  const rows = async () =>
    select<{ dedupe_key: string; status: string; kind: string }>(
      db.ds,
      'SELECT dedupe_key, status, kind FROM inbox ORDER BY id',
    );

  beforeAll(async () => {
    t = await startTestApp(db.ds, testConfig(db.url, { accounts: [OA], callbacks: { maxBodyBytes: 4096 } }));
  });
  afterAll(async () => t.close());

  it('rejects a bad signature with 401 and stores nothing', async () => {
    const cb = oaText(t.url, 'oBadSig', 1001n);
    const res = await post(cb, { url: cb.url.replace(/msg_signature=[0-9a-f]+/, 'msg_signature=' + '0'.repeat(40)) });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).error.code).toBeDefined();
    expect(res.text).not.toContain('at ');
    expect(await rows()).toHaveLength(0);
  });

  it('acks a duplicate once: WeChat retries of one MsgId make one row', async () => {
    const cb = oaText(t.url, 'oDup', 1002n);
    for (let i = 0; i < 3; i++) {
      const res = await post(cb);
      expect(res).toEqual({ status: 200, text: 'success' });
    }
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'pending', kind: 'oa.message.text' });
  });

  it('keeps distinct messages sent concurrently (group commit), one row each', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(oaText(t.url, 'oMany', 2000n + BigInt(i)))),
    );
    expect(results.every((r) => r.status === 200 && r.text === 'success')).toBe(true);
    expect((await rows()).filter((r) => r.dedupe_key.includes(':msg:2'))).toHaveLength(40);
  });

  it('answers 404 for an unknown account before reading the body, in the Pay shape on the Pay route', async () => {
    const oa = await fetch(`${t.url}/wechat/official-account/wxunknown`, { method: 'POST', body: '<xml/>' });
    expect(oa.status).toBe(404);
    expect(((await oa.json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_ACCOUNT');
    const pay = await fetch(`${t.url}/wechat/pay/1900000000`, { method: 'POST', body: '{}' });
    expect(pay.status).toBe(404);
    expect(await pay.json()).toEqual({ code: 'UNKNOWN_ACCOUNT', message: 'no such account' });
  });

  it('answers 413 for a body over callbacks.maxBodyBytes, declared or streamed', async () => {
    const cb = oaText(t.url, 'oBig', 3001n, 'x'.repeat(5000));
    const declared = await post(cb);
    expect(declared.status).toBe(413);
    const chunked = await fetch(cb.url, {
      method: 'POST',
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(cb.body));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await rows()).some((r) => r.dedupe_key.includes('3001'))).toBe(false);
  });

  it('answers 503 when the inbox cannot take the row, so WeChat retries, and acks the retry once it can', async () => {
    const cb = oaText(t.url, 'oDown', 4001n);
    await db.ds.query('ALTER TABLE inbox RENAME TO inbox_away');
    try {
      const res = await post(cb);
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text)).toEqual({
        error: { code: 'INBOX_UNAVAILABLE', message: 'callback not stored, retry later' },
      });
    } finally {
      await db.ds.query('ALTER TABLE inbox_away RENAME TO inbox');
    }
    expect(await post(cb)).toEqual({ status: 200, text: 'success' });
    expect((await rows()).filter((r) => r.dedupe_key.endsWith(':4001'))).toHaveLength(1);
  });

  it('answers URL verification (GET) without storing anything', async () => {
    const { sha1Signature } = await import('../../connectors/common/crypto/signature');
    const ts = String(Math.floor(Date.now() / 1000));
    const q = new URLSearchParams({
      signature: sha1Signature(OA.token, ts, '42'),
      timestamp: ts,
      nonce: '42',
      echostr: 'echo-123',
    });
    const before = (await rows()).length;
    const res = await fetch(`${t.url}/wechat/official-account/${OA.appId}?${q}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('echo-123');
    expect((await rows()).length).toBe(before);
  });
});
