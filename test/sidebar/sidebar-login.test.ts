import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig } from '../helpers/test-app';
import { CookieJar } from '../integration/h5-harness';
import { startSidebar, withEmulatorUser, type SidebarHarness } from './sidebar-harness';

describe('sidebar login (GET /sidebar → /sidebar/login → WeCom authorize → /sidebar/oauth/callback)', () => {
  const db = useTestDatabase();
  let h: SidebarHarness;

  beforeAll(async () => {
    h = await startSidebar(db);
  });
  afterAll(() => h.close());

  it('refuses a callback without the browser-bound state (400 page, no session)', async () => {
    const state = 'a'.repeat(32);
    for (const path of [
      `/sidebar/oauth/callback?code=x&state=${state}`,
      '/sidebar/oauth/callback?code=x',
      '/sidebar/oauth/callback?code=x&state=<script>',
    ]) {
      const res = await h.request(path);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.text).toContain('INVALID_STATE');
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
      expect(res.text).not.toContain('<script>');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('siyu_sidebar='))).toBe(false);
    }
  });

  it('sends a browser without a session from the page to login, and login to WeCom authorize with a bound state', async () => {
    const jar = new CookieJar();
    const page = await h.request('/sidebar', { jar });
    expect(page.status).toBe(302);
    expect(page.location).toBe(`/sidebar/login?corpId=${h.corpId}`);
    const login = await h.request(page.location!, { jar });
    expect(login.status).toBe(302);
    const account = h.config.accounts.find((a) => a.kind === 'wecom') as { oauthBase: string; agentId: number };
    expect(login.location!.startsWith(`${account.oauthBase}/connect/oauth2/authorize?`)).toBe(true);
    expect(login.location!.endsWith('#wechat_redirect')).toBe(true);
    const url = new URL(login.location!);
    const state = url.searchParams.get('state')!;
    expect(state).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appid: h.corpId,
      redirect_uri: `${h.url}/sidebar/oauth/callback`,
      response_type: 'code',
      scope: 'snsapi_base',
      state,
      agentid: String(account.agentId),
    });
    const [cookie] = login.headers.getSetCookie();
    expect(cookie).toMatch(new RegExp(`^siyu_oauth_${state}=`));
    expect(cookie).toMatch(/; path=\/sidebar\/oauth\/callback/i);
    expect(cookie).toMatch(/httponly/i);
  });

  it('signs a member in end to end: http-only SameSite session cookie, back to the page, which is then served', async () => {
    const { jar, callback } = await h.login('alice');
    expect(callback.status).toBe(302);
    expect(callback.location).toBe(`/sidebar?corpId=${h.corpId}`);
    const session = callback.headers.getSetCookie().find((c) => c.startsWith('siyu_sidebar='))!;
    expect(session).toMatch(/httponly/i);
    expect(session).toMatch(/samesite=lax/i);
    expect(session).toMatch(/; path=\/sidebar/i);
    expect(jar.names().filter((n) => n.startsWith('siyu_oauth_'))).toEqual([]);
    const page = await h.request(callback.location!, { jar });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain(new URL(h.emu.url).origin);
    // The Vite build of web/sidebar: one hashed module script, served from the page's assets under the same CSP.
    const script = /<script type="module" crossorigin src="(\/sidebar\/assets\/index-[\w-]+\.js)">/.exec(
      page.text,
    )?.[1];
    expect(script).toBeDefined();
    const asset = await h.request(script!, { jar });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('content-security-policy')).toBe(page.headers.get('content-security-policy'));
    expect((await h.api('/session', { jar })).body).toMatchObject({ corpId: h.corpId, userid: 'alice' });
    // Another corp's page (or an unknown one) is not this session's: back to login, which refuses an unknown corp.
    const other = await h.request('/sidebar?corpId=wwnotconfigured', { jar });
    expect(other.status).toBe(404);
    expect(other.text).toContain('CORP_NOT_FOUND');
  });

  it('refuses a replayed callback (state single use) with 400', async () => {
    const { jar, callbackUrl, callback } = await h.login('alice');
    expect(callback.status).toBe(302);
    const replay = await h.request(callbackUrl, { jar });
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('INVALID_STATE');
  });

  it('refuses a state started by another browser', async () => {
    const start = await h.request(`/sidebar/login?corpId=${h.corpId}`, { jar: new CookieJar() });
    const authorize = await fetch(withEmulatorUser(start.location!, 'alice'), { redirect: 'manual' });
    const res = await h.request(authorize.headers.get('location')!, { jar: new CookieJar() });
    expect(res.status).toBe(400);
    expect(res.text).toContain('INVALID_STATE');
  });

  it('refuses a WeChat user who is not a corp member (openid) with 403', async () => {
    const jar = new CookieJar();
    const start = await h.request(`/sidebar/login?corpId=${h.corpId}`, { jar });
    const u = new URL(start.location!);
    u.searchParams.set('emulator_person', String(h.mine.personId));
    const authorize = await fetch(u, { redirect: 'manual' });
    const res = await h.request(authorize.headers.get('location')!, { jar });
    expect(res.status).toBe(403);
    expect(res.text).toContain('NOT_A_MEMBER');
    expect(jar.get('siyu_sidebar')).toBeUndefined();
  });

  it('refuses a bad or used code (WeCom 40029) with 400, and a missing one', async () => {
    for (const code of ['not-a-real-code', '']) {
      const jar = new CookieJar();
      const start = await h.request(`/sidebar/login?corpId=${h.corpId}`, { jar });
      const state = new URL(start.location!).searchParams.get('state')!;
      const res = await h.request(`/sidebar/oauth/callback?code=${code}&state=${state}`, { jar });
      expect(res.status).toBe(400);
      expect(res.text).toContain(code ? 'INVALID_CODE' : 'AUTHORIZATION_DECLINED');
      expect(jar.get('siyu_sidebar')).toBeUndefined();
    }
  });

  it('answers a JSON client with the error shape and an unknown corp with 404', async () => {
    const res = await h.request('/sidebar/login?corpId=wwnope', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'CORP_NOT_FOUND', message: expect.any(String) } });
  });
});

describe('sidebar page with several corps configured', () => {
  const db = useTestDatabase();

  it('needs ?corpId= to know which corp to sign in to (400 page), and refuses a corp without the sidebar app (404)', async () => {
    const corp = (corpId: string, agent: boolean) => ({
      kind: 'wecom',
      corpId,
      contactSecret: 'contact-secret',
      token: 'token',
      encodingAESKey: 'a'.repeat(43),
      ...(agent ? { agentId: 1000002, agentSecret: 'agent-secret' } : {}),
    });
    const t = await startTestApp(
      db.ds,
      testConfig(db.url, { accounts: [corp('wwfirst', true), corp('wwsecond', false)] }),
    );
    try {
      const page = await t.request('/sidebar', { redirect: 'manual' });
      expect(page.status).toBe(400);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.text).toContain('CORP_REQUIRED');
      const first = await t.request('/sidebar?corpId=wwfirst', { redirect: 'manual' });
      expect(first.status).toBe(302);
      expect(first.headers.get('location')).toBe('/sidebar/login?corpId=wwfirst');
      const second = await t.request('/sidebar/login?corpId=wwsecond', { redirect: 'manual' });
      expect(second.status).toBe(404);
      expect(second.text).toContain('SIDEBAR_NOT_CONFIGURED');
      expect((await t.request('/sidebar/login', { redirect: 'manual' })).status).toBe(400);
    } finally {
      await t.close();
    }
  });
});
