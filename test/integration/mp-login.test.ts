import { useTestDatabase } from '../helpers/describe-db';
import { clearTables } from '../helpers/test-db';
import { startFrontDoors, type FrontDoorHarness } from './h5-harness';

describe('POST /mp/:appId/login', () => {
  const db = useTestDatabase();
  let h: FrontDoorHarness;
  let appId: string;

  beforeAll(async () => {
    h = await startFrontDoors(db);
    appId = h.mpAppId();
  });
  afterAll(() => h.close());
  beforeEach(() => clearTables(db.ds));

  const login = (json: unknown, app = appId) => h.request(`/mp/${app}/login`, { method: 'POST', json });

  it('refuses a code WeChat does not know (400 INVALID_CODE) and stores nothing', async () => {
    const res = await login({ code: 'not-a-real-code' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CODE');
    expect(await db.ds.query('SELECT id FROM identities')).toEqual([]);
  });

  it('refuses an unknown appId (404) before reading the body, and malformed bodies (422/400/415)', async () => {
    const unknown = await login({ code: 'x' }, 'wx-not-configured');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('ACCOUNT_NOT_FOUND');
    const missing = await login({});
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([{ path: 'code', message: expect.any(String) }]);
    expect((await login({ code: '' })).status).toBe(422);
    expect((await login({ code: 'x'.repeat(600) })).status).toBe(422);
    expect(
      (
        await h.request(`/mp/${appId}/login`, {
          method: 'POST',
          body: '{"code":',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await h.request(`/mp/${appId}/login`, {
          method: 'POST',
          body: 'code=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(415);
    expect(
      (await h.request(`/mp/${appId}/login`, { method: 'POST', json: { code: 'x', pad: 'y'.repeat(5000) } })).status,
    ).toBe(413);
  });

  it('returns customerId, openid, unionid and a token; never the session_key', async () => {
    const minted = (await h.control.post(`/mp/${appId}/js-codes`, {})).data as { code: string; openid: string };
    const res = await login({ code: minted.code });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['customerId', 'openid', 'token', 'unionid']);
    expect(res.body.openid).toBe(minted.openid);
    expect(res.text).not.toMatch(/session_key|sessionKey/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const rows = (await db.ds.query('SELECT customer_id, type, scope, value FROM identities ORDER BY type')) as {
      customer_id: string;
      type: string;
      scope: string;
      value: string;
    }[];
    const account = h.config.accounts.find((a) => a.kind === 'mini-program') as { openPlatformId: string };
    expect(rows).toEqual([
      { customer_id: res.body.customerId, type: 'mp_openid', scope: appId, value: minted.openid },
      { customer_id: res.body.customerId, type: 'unionid', scope: account.openPlatformId, value: res.body.unionid },
    ]);
    // Nothing stores the session_key anywhere (tokens table included).
    const sessionKey = (h.emu.state.world.mpApp(appId)!.sessionKeys as Map<number, string>).values().next()
      .value as string;
    const dump =
      JSON.stringify(await db.ds.query('SELECT * FROM access_tokens')) +
      JSON.stringify(await db.ds.query('SELECT * FROM identity_links'));
    expect(dump).not.toContain(sessionKey);
  });

  it('logging in again is the same customer; a reused code is refused', async () => {
    const minted = (await h.control.post(`/mp/${appId}/js-codes`, {})).data as { code: string; openid: string };
    const first = await login({ code: minted.code });
    expect((await login({ code: minted.code })).body.error.code).toBe('INVALID_CODE');
    const again = await h.mpLogin(appId, { openid: minted.openid });
    expect(again.body.customerId).toBe(first.body.customerId);
    expect(again.body.token).toEqual(expect.any(String));
    expect(Number((await db.ds.query('SELECT COUNT(*) AS n FROM customers'))[0].n)).toBe(1);
  });

  it('omits unionid for an MP not bound to an open platform', async () => {
    await h.control.patch(`/apps/${appId}`, { bound: false });
    try {
      const res = await h.mpLogin(appId);
      expect(res.status).toBe(200);
      expect(res.body.unionid).toBeUndefined();
    } finally {
      await h.control.patch(`/apps/${appId}`, { bound: true });
    }
  });

  it('a blocked login is 403 LOGIN_BLOCKED; an expired code 400; WeChat rate limiting 429', async () => {
    const blocked = (await h.control.post(`/mp/${appId}/js-codes`, { blocked: true })).data as { code: string };
    const res = await login({ code: blocked.code });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('LOGIN_BLOCKED');

    const late = (await h.control.post(`/mp/${appId}/js-codes`, {})).data as { code: string };
    await h.advance(301);
    expect((await login({ code: late.code })).status).toBe(400);

    await h.control.post('/chaos', {
      rules: [{ api: 'api.weixin.qq.com/sns/jscode2session', errcode: 45009, rate: 1 }],
    });
    try {
      const limited = await h.mpLogin(appId);
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('RATE_LIMITED');
    } finally {
      await h.control.post('/chaos', { rules: [] });
    }
  });
});
