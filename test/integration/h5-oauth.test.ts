import { useTestDatabase } from '../helpers/describe-db';
import { clearTables } from '../helpers/test-db';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { CookieJar, SHOP, startFrontDoors, type FrontDoorHarness } from './h5-harness';

interface IdentityRow {
  customer_id: string;
  type: string;
  scope: string;
  value: string;
}

describe('H5 web OAuth (GET /h5/:appId/login → WeChat authorize page → /oauth/callback)', () => {
  const db = useTestDatabase();
  let h: FrontDoorHarness;
  let appId: string;
  let unboundAppId: string;

  beforeAll(async () => {
    h = await startFrontDoors(db);
    appId = h.oaAppId(0);
    unboundAppId = h.oaAppId(1);
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await clearTables(db.ds);
    await h.control.post('/chaos', { rules: [] });
  });

  const identities = async (customerId?: string): Promise<IdentityRow[]> =>
    (await db.ds.query(
      `SELECT customer_id, type, scope, value FROM identities${customerId ? ' WHERE customer_id = ?' : ''} ORDER BY type`,
      customerId ? [customerId] : [],
    )) as IdentityRow[];
  const login = (
    app: string,
    q: Record<string, string>,
    init: { jar?: CookieJar; headers?: Record<string, string> } = {},
  ) => h.request(`/h5/${app}/login?${new URLSearchParams(q)}`, init);

  it('refuses a redirect off the allow-list with 400 and sets no cookie', async () => {
    for (const redirect of [
      'https://evil.example/x',
      'https://shop.example.com.evil.example/',
      'https://shop.example.com@evil.example/',
      '//evil.example',
      'javascript:alert(1)',
      '',
    ]) {
      const res = await login(appId, { redirect });
      expect(res.status).toBe(400);
      expect(res.location).toBeNull();
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.text).toContain('REDIRECT_NOT_ALLOWED');
    }
    const json = await login(appId, { redirect: 'https://evil.example/' }, { headers: { accept: 'application/json' } });
    expect(json.body).toEqual({ error: { code: 'REDIRECT_NOT_ALLOWED', message: expect.any(String) } });
  });

  it('refuses an unknown appId (404) and an unknown scope (400)', async () => {
    expect((await login('wx-not-configured', { redirect: `${SHOP}/` })).status).toBe(404);
    expect((await h.request(`/h5/wx-not-configured/oauth/callback?code=x&state=${'a'.repeat(32)}`)).status).toBe(404);
    const scope = await login(appId, { redirect: `${SHOP}/`, scope: 'snsapi_login' });
    expect(scope.status).toBe(400);
    expect(scope.text).toContain('INVALID_SCOPE');
  });

  it('redirects to the authorize page on oauthBase with a state bound to the browser by a path-scoped http-only cookie', async () => {
    const jar = new CookieJar();
    const res = await login(appId, { redirect: `${SHOP}/p?x=1#frag`, scope: 'snsapi_userinfo' }, { jar });
    expect(res.status).toBe(302);
    const account = h.config.accounts.find((a) => a.kind === 'official-account' && a.appId === appId) as {
      oauthBase: string;
    };
    expect(res.location!.startsWith(`${account.oauthBase}/connect/oauth2/authorize?`)).toBe(true);
    expect(res.location!.endsWith('#wechat_redirect')).toBe(true);
    const url = new URL(res.location!);
    const state = url.searchParams.get('state')!;
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appid: appId,
      redirect_uri: `${h.url}/h5/${appId}/oauth/callback`,
      response_type: 'code',
      scope: 'snsapi_userinfo',
      state,
    });
    expect(state).toMatch(/^[0-9a-f]{32}$/);
    const [cookie] = res.headers.getSetCookie();
    expect(cookie).toMatch(new RegExp(`^siyu_oauth_${state}=`));
    expect(cookie).toMatch(/; path=\/h5\/[^;]+\/oauth\/callback/i);
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('snsapi_base: links the h5_openid, sets an http-only session cookie, clears the state cookie and redirects', async () => {
    const { jar, callback } = await h.browserLogin(appId, { redirect: `${SHOP}/after?x=1`, scope: 'snsapi_base' });
    expect(callback.status).toBe(302);
    expect(callback.location).toBe(`${SHOP}/after?x=1`);
    const session = callback.headers.getSetCookie().find((c) => c.startsWith('siyu_h5='))!;
    expect(session).toMatch(/httponly/i);
    expect(session).toMatch(/path=\/;/i);
    expect(jar.names()).toEqual(['siyu_h5']);
    const rows = await identities();
    expect(rows).toEqual([
      { customer_id: expect.any(String), type: 'h5_openid', scope: appId, value: expect.stringMatching(/^o/) },
    ]);
  });

  it('behind HTTPS (X-Forwarded-Proto) the cookies are Secure, and the session cookie is SameSite=None for cross-site pages', async () => {
    const jar = new CookieJar();
    const https = { 'x-forwarded-proto': 'https' };
    const start = await login(appId, { redirect: `${SHOP}/` }, { jar, headers: https });
    expect(start.headers.getSetCookie()[0]).toMatch(/; secure/i);
    expect(start.headers.getSetCookie()[0]).toMatch(/samesite=lax/i);
    const callbackUrl = (await fetch(start.location!, { redirect: 'manual' })).headers.get('location')!;
    const done = await h.request(callbackUrl, { jar, headers: https });
    const session = done.headers.getSetCookie().find((c) => c.startsWith('siyu_h5='))!;
    expect(session).toMatch(/; secure/i);
    expect(session).toMatch(/samesite=none/i);
    expect(session).toMatch(/httponly/i);
  });

  it('snsapi_userinfo on a bound OA: unionid and profile; the same person from the Mini Program is the same customer', async () => {
    const person = 3;
    const { callback } = await h.browserLogin(appId, { scope: 'snsapi_userinfo', personId: person });
    expect(callback.status).toBe(302);
    const rows = await identities();
    expect(rows.map((r) => r.type)).toEqual(['h5_openid', 'unionid']);
    const customerId = rows[0]!.customer_id;
    const [customer] = (await db.ds.query('SELECT display_name, avatar_url FROM customers WHERE id = ?', [
      customerId,
    ])) as { display_name: string; avatar_url: string }[];
    expect(customer!.display_name).toBeTruthy();
    expect(customer!.avatar_url).toMatch(/^https:\/\//);

    const mp = await h.mpLogin(h.mpAppId(), { personId: person });
    expect(mp.status).toBe(200);
    expect(mp.body.customerId).toBe(customerId);
    expect((await identities(customerId)).map((r) => r.type)).toEqual(['h5_openid', 'mp_openid', 'unionid']);
  });

  it('an OA not bound to the open platform gives no unionid, even for snsapi_userinfo', async () => {
    await h.browserLogin(unboundAppId, { scope: 'snsapi_userinfo', personId: 4 });
    expect((await identities()).map((r) => r.type)).toEqual(['h5_openid']);
  });

  it('attaches to the customer already holding the same openid as an OA follower', async () => {
    const code = (await h.control.post(`/oa/${appId}/oauth-codes`, { personId: 5 })).data as { openid: string };
    const identity = h.app.identity;
    const follower = await retryingTransaction(db.ds, (em) =>
      identity.resolve(em, {
        identities: [{ type: 'oa_openid', scope: appId, value: code.openid }],
        source: 'test.oa',
      }),
    );
    await h.browserLogin(appId, { personId: 5 });
    const rows = await identities();
    expect(rows).toEqual([
      { customer_id: follower.customerId, type: 'h5_openid', scope: appId, value: code.openid },
      { customer_id: follower.customerId, type: 'oa_openid', scope: appId, value: code.openid },
    ]);
  });

  it('a replayed callback (same state, same cookie) gets a 400 page, not a second session', async () => {
    const jar = new CookieJar();
    const q = new URLSearchParams({ redirect: `${SHOP}/`, scope: 'snsapi_base' });
    const start = await h.request(`/h5/${appId}/login?${q}`, { jar });
    const before = jar.clone();
    const authorize = await fetch(start.location!, { redirect: 'manual' });
    const callbackUrl = authorize.headers.get('location')!;
    expect((await h.request(callbackUrl, { jar })).status).toBe(302);
    const replay = await h.request(callbackUrl, { jar: before });
    expect(replay.status).toBe(400);
    expect(replay.headers.get('content-type')).toMatch(/text\/html/);
    expect(replay.text).toContain('INVALID_STATE');
    expect(replay.headers.getSetCookie().some((c) => c.startsWith('siyu_h5=') && !c.startsWith('siyu_h5=;'))).toBe(
      false,
    );
  });

  it('a state from another browser, a tampered state cookie, or no state at all gets 400', async () => {
    const mine = new CookieJar();
    const theirs = new CookieJar();
    const q = new URLSearchParams({ redirect: `${SHOP}/`, scope: 'snsapi_base' });
    const start = await h.request(`/h5/${appId}/login?${q}`, { jar: mine });
    await h.request(`/h5/${appId}/login?${q}`, { jar: theirs });
    const callbackUrl = (await fetch(start.location!, { redirect: 'manual' })).headers.get('location')!;
    const state = new URL(callbackUrl).searchParams.get('state')!;

    const csrf = await h.request(callbackUrl, { jar: theirs });
    expect(csrf.status).toBe(400);
    expect(csrf.text).toContain('INVALID_STATE');

    const cookie = mine.get(`siyu_oauth_${state}`)!;
    const tampered = `${cookie.slice(0, -2)}${cookie.endsWith('AA') ? 'BB' : 'AA'}`;
    const forged = await h.request(callbackUrl, { headers: { cookie: `siyu_oauth_${state}=${tampered}` } });
    expect(forged.status).toBe(400);

    const code = new URL(callbackUrl).searchParams.get('code')!;
    expect((await h.request(`/h5/${appId}/oauth/callback?code=${code}`, { jar: mine })).status).toBe(400);
    expect((await h.request(`/h5/${appId}/oauth/callback?code=${code}&state=../../x`, { jar: mine })).status).toBe(400);
    // The same browser still completes with its own state.
    expect((await h.request(callbackUrl, { jar: mine })).status).toBe(302);
  });

  it('a reused code gets a clear 400 page (WeChat 40163)', async () => {
    const first = await h.browserLogin(appId);
    expect(first.callback.status).toBe(302);
    const code = new URL(first.callbackUrl).searchParams.get('code')!;
    const jar = new CookieJar();
    const start = await login(appId, { redirect: `${SHOP}/` }, { jar });
    const state = new URL(start.location!).searchParams.get('state')!;
    const res = await h.request(`/h5/${appId}/oauth/callback?code=${code}&state=${state}`, { jar });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain('INVALID_CODE');
    expect(res.text).toMatch(/already used/);
  });

  it('an expired code (5 minutes) gets 400; an expired state (10 minutes) gets 400', async () => {
    const jar = new CookieJar();
    const start = await login(appId, { redirect: `${SHOP}/` }, { jar });
    const callbackUrl = (await fetch(start.location!, { redirect: 'manual' })).headers.get('location')!;
    await h.advance(301);
    const late = await h.request(callbackUrl, { jar: jar.clone() });
    expect(late.status).toBe(400);
    expect(late.text).toContain('INVALID_CODE');

    const jar2 = new CookieJar();
    const start2 = await login(appId, { redirect: `${SHOP}/` }, { jar: jar2 });
    const callback2 = (await fetch(start2.location!, { redirect: 'manual' })).headers.get('location')!;
    await h.advance(601);
    const stale = await h.request(callback2, { jar: jar2 });
    expect(stale.status).toBe(400);
    expect(stale.text).toContain('INVALID_STATE');
    expect(await identities()).toEqual([]);
  });

  it('a declined consent (only state comes back) gets 400; a snapshot-mode visitor gets 403 and is not linked', async () => {
    await h.control.post('/oauth/visitors', { appId, consent: false });
    const declined = await h.browserLogin(appId, { scope: 'snsapi_userinfo' });
    expect(declined.callback.status).toBe(400);
    expect(declined.callback.text).toContain('AUTHORIZATION_DECLINED');

    await h.control.post('/oauth/visitors', { appId, snapshot: true });
    const snapshot = await h.browserLogin(appId, { scope: 'snsapi_userinfo' });
    expect(snapshot.callback.status).toBe(403);
    expect(snapshot.callback.text).toContain('SNAPSHOT_USER');
    expect(await identities()).toEqual([]);
  });

  it('WeChat failing on the code exchange is a 502 page, never a 500', async () => {
    await h.control.post('/chaos', {
      rules: [{ api: 'api.weixin.qq.com/sns/oauth2/access_token', errcode: -1, rate: 1 }],
    });
    const res = await h.browserLogin(appId);
    expect(res.callback.status).toBe(502);
    expect(res.callback.text).toContain('WECHAT_UNAVAILABLE');
  });
});
