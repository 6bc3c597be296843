import http from 'http';
import type { AddressInfo } from 'net';
import Koa from 'koa';
import { WechatHttpClient } from '../../../../connectors/common/http/wechat-http-client';
import { OFFICIAL_ACCOUNT_ERRCODES } from '../../../../connectors/official-account/errors';
import { WECOM_ERRCODES } from '../../../../connectors/wecom/errors';
import { WechatApiError, stripRequestId } from '../../../../connectors/common/http/wechat-api-error';
import type { TokenSource } from '../../../../connectors/common/http/token-source';

/** A tiny WeChat stand-in: each test scripts the bodies the next requests get. */
interface Seen {
  path: string;
  query: Record<string, unknown>;
  body: string;
}
let server: http.Server;
let baseURL: string;
type Step = (seen: Seen) => { status?: number; body: unknown; delayMs?: number };
let script: Step[] = [];
let seen: Seen[] = [];
let active = 0;
let maxActive = 0;

beforeAll(async () => {
  const app = new Koa();
  app.use(async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const c of ctx.req) chunks.push(c as Buffer);
    const s: Seen = { path: ctx.path, query: { ...ctx.query }, body: Buffer.concat(chunks).toString('utf8') };
    seen.push(s);
    const step: Step = script.shift() ?? (() => ({ body: { errcode: 0, errmsg: 'ok' } }));
    const r = step(s);
    // Only /conc requests count: handlers of aborted (timed-out) requests from other tests may still be running.
    const counted = ctx.path === '/conc';
    if (counted) active += 1;
    maxActive = Math.max(maxActive, active);
    if (r.delayMs) await new Promise((res) => setTimeout(res, r.delayMs));
    if (counted) active -= 1;
    ctx.status = r.status ?? 200;
    ctx.body = r.body;
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  script = [];
  seen = [];
  maxActive = 0;
});

const fast = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4, budgetMs: 5_000, timeoutMs: 2_000 };
const client = (overrides = {}) =>
  new WechatHttpClient({ baseURL, errcodes: OFFICIAL_ACCOUNT_ERRCODES, options: { ...fast, ...overrides } });
const rid = (msg: string) => `${msg} rid: 66f43076-700f44ff-0465cb1b`;

function fixedToken(values: string[]): TokenSource & { invalidated: string[] } {
  let i = 0;
  const invalidated: string[] = [];
  return {
    invalidated,
    get: async () => values[Math.min(i, values.length - 1)]!,
    invalidate: async (failed) => {
      invalidated.push(failed);
      i += 1;
    },
  };
}

describe('WechatHttpClient', () => {
  it('rejects a WeChat error envelope with a typed error, errmsg without the rid suffix, and no retry', async () => {
    script.push(() => ({ body: { errcode: 40003, errmsg: rid('invalid openid') } }));
    const err = await client()
      .call({ api: 'user/info', method: 'GET', path: '/cgi-bin/user/info' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatApiError);
    expect(err).toMatchObject({
      errcode: 40003,
      errmsg: 'invalid openid',
      category: 'SUBJECT_GONE',
      retryable: false,
      api: 'user/info',
    });
    expect(seen).toHaveLength(1);
  });

  it('treats a missing errcode and errcode 0 alike', async () => {
    script.push(() => ({ body: { access_token: 'A', expires_in: 7200 } }));
    script.push(() => ({ body: { errcode: 0, errmsg: 'ok', ticket: 'T' } }));
    await expect(client().call({ api: 'token', method: 'GET', path: '/cgi-bin/token' })).resolves.toEqual({
      access_token: 'A',
      expires_in: 7200,
    });
    await expect(
      client().call({ api: 'ticket', method: 'GET', path: '/cgi-bin/ticket/getticket' }),
    ).resolves.toMatchObject({ ticket: 'T' });
  });

  it('puts the access_token in the query of a POST and sends the body as JSON', async () => {
    await client().call({
      api: 'tags/create',
      method: 'POST',
      path: '/cgi-bin/tags/create',
      body: { tag: { name: '广东' } },
      token: fixedToken(['TOK']),
    });
    expect(seen[0]).toMatchObject({ path: '/cgi-bin/tags/create', query: { access_token: 'TOK' } });
    expect(JSON.parse(seen[0]!.body)).toEqual({ tag: { name: '广东' } });
  });

  it('retries -1, 45011, 45033 and HTTP 5xx with backoff, then succeeds', async () => {
    script.push(() => ({ body: { errcode: -1, errmsg: 'system error' } }));
    script.push(() => ({ body: { errcode: 45011, errmsg: 'api minute-quota reach limit' } }));
    script.push(() => ({ status: 502, body: 'bad gateway' }));
    script.push(() => ({ body: { total: 1 } }));
    await expect(client().call({ api: 'user/get', method: 'GET', path: '/cgi-bin/user/get' })).resolves.toEqual({
      total: 1,
    });
    expect(seen).toHaveLength(4);
  });

  it('gives up after maxAttempts with the last error', async () => {
    for (let i = 0; i < 5; i += 1) script.push(() => ({ body: { errcode: 45033, errmsg: 'concurrency' } }));
    await expect(client({ maxAttempts: 3 }).call({ api: 'user/get', method: 'GET', path: '/x' })).rejects.toMatchObject(
      { errcode: 45033, category: 'RATE_LIMITED', retryable: true },
    );
    expect(seen).toHaveLength(3);
  });

  it('stops retrying when the time budget is spent', async () => {
    for (let i = 0; i < 10; i += 1) script.push(() => ({ body: { errcode: -1, errmsg: 'system error' } }));
    const slept: number[] = [];
    // random() = 1 makes each full-jitter delay its maximum (200 ms), which already exceeds the 150 ms budget.
    const c = new WechatHttpClient({
      baseURL,
      errcodes: OFFICIAL_ACCOUNT_ERRCODES,
      options: { ...fast, maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 200, budgetMs: 150 },
      random: () => 0.999999,
      sleep: async (ms: number) => void slept.push(ms),
    });
    await expect(c.call({ api: 'x', method: 'GET', path: '/x' })).rejects.toMatchObject({ errcode: -1 });
    expect(slept).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it('does not retry the daily quota 45009', async () => {
    script.push(() => ({ body: { errcode: 45009, errmsg: 'reach max api daily quota limit' } }));
    await expect(client().call({ api: 'user/get', method: 'GET', path: '/x' })).rejects.toMatchObject({
      errcode: 45009,
      retryable: false,
      retryAfterSeconds: 86400,
    });
    expect(seen).toHaveLength(1);
  });

  it('retries a timeout as TEMPORARY and reports it without the URL', async () => {
    script.push(() => ({ body: {}, delayMs: 300 }));
    script.push(() => ({ body: {}, delayMs: 300 }));
    const err = await client({ timeoutMs: 50, maxAttempts: 2 })
      .call({ api: 'user/get', method: 'GET', path: '/x', token: fixedToken(['SECRET-TOKEN']) })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ category: 'TEMPORARY', errcode: null, errmsg: 'request timed out' });
    expect(String((err as Error).message)).not.toContain('SECRET-TOKEN');
    expect(seen).toHaveLength(2);
  });

  it('retries connection failures', async () => {
    const dead = new WechatHttpClient({
      baseURL: 'http://127.0.0.1:9',
      errcodes: OFFICIAL_ACCOUNT_ERRCODES,
      options: { ...fast, maxAttempts: 2 },
    });
    await expect(dead.call({ api: 'x', method: 'GET', path: '/x' })).rejects.toMatchObject({
      category: 'TEMPORARY',
      retryable: true,
      remoteCode: 'ECONNREFUSED',
    });
  });

  it('on TOKEN_EXPIRED invalidates exactly the failed token and retries once', async () => {
    script.push(() => ({ body: { errcode: 40001, errmsg: 'invalid credential' } }));
    script.push(() => ({ body: { total: 2 } }));
    const token = fixedToken(['OLD', 'NEW']);
    await expect(client().call({ api: 'user/get', method: 'GET', path: '/x', token })).resolves.toEqual({ total: 2 });
    expect(token.invalidated).toEqual(['OLD']);
    expect(seen.map((s) => s.query.access_token)).toEqual(['OLD', 'NEW']);
  });

  it('refreshes only once: a second token rejection is thrown', async () => {
    script.push(() => ({ body: { errcode: 42001, errmsg: 'access_token expired' } }));
    script.push(() => ({ body: { errcode: 40014, errmsg: 'invalid access_token' } }));
    const token = fixedToken(['A', 'B', 'C']);
    await expect(client().call({ api: 'user/get', method: 'GET', path: '/x', token })).rejects.toMatchObject({
      errcode: 40014,
      category: 'TOKEN_EXPIRED',
    });
    expect(token.invalidated).toEqual(['A']);
  });

  it('applies per-call errcode overrides (40001 on a token endpoint is a bad secret, not a stale token)', async () => {
    script.push(() => ({ body: { errcode: 40001, errmsg: 'invalid credential' } }));
    await expect(
      client().call({ api: 'token', method: 'GET', path: '/cgi-bin/token', errcodes: { 40001: 'AUTH_FAILED' } }),
    ).rejects.toMatchObject({ category: 'AUTH_FAILED' });
    expect(seen).toHaveLength(1);
  });

  it('caps the calls in flight for one account', async () => {
    for (let i = 0; i < 12; i += 1) script.push(() => ({ body: {}, delayMs: 20 }));
    const c = client({ concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => c.call({ api: 'x', method: 'GET', path: '/conc' })));
    expect(maxActive).toBe(3);
  });

  it('uses the WeCom table per connector: 84061 RELATION_GONE, 45009 not retried in place', async () => {
    script.push(() => ({ body: { errcode: 84061, errmsg: 'not external contact' } }));
    script.push(() => ({ body: { errcode: 45009, errmsg: 'api freq out of limit' } }));
    const wecom = new WechatHttpClient({ baseURL, errcodes: WECOM_ERRCODES, options: fast });
    await expect(wecom.call({ api: 'externalcontact/get', method: 'GET', path: '/x' })).rejects.toMatchObject({
      category: 'RELATION_GONE',
    });
    await expect(wecom.call({ api: 'externalcontact/get', method: 'GET', path: '/x' })).rejects.toMatchObject({
      category: 'RATE_LIMITED',
      retryable: false,
      retryAfterSeconds: 60,
    });
    expect(seen).toHaveLength(2);
  });
});

describe('stripRequestId', () => {
  it('drops the OA rid, the old hint and the WeCom hint/ip/more-info suffix', () => {
    expect(stripRequestId('invalid openid rid: 66f43076-700f44ff-0465cb1b')).toBe('invalid openid');
    expect(stripRequestId('invalid credential, access_token is invalid or not latest hint: [xlmeHJYfk-6Hx4LA]')).toBe(
      'invalid credential, access_token is invalid or not latest',
    );
    expect(
      stripRequestId(
        'invalid external userid, hint: [1608280787_51_aa], from ip: 1.2.3.4, more info at https://open.work.weixin.qq.com/devtool/query?e=40096',
      ),
    ).toBe('invalid external userid');
    expect(stripRequestId('ok')).toBe('ok');
  });
});
