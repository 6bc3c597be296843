import { useTestDatabase } from '../helpers/describe-db';
import { createOperatorSession } from '../helpers/console-operator';
import { CookieJar, type Reply } from './h5-harness';
import { startSidebar, withEmulatorUser, type SidebarHarness } from '../sidebar/sidebar-harness';
import { CONSOLE_COOKIE } from '../../src/operators/console-session.service';

describe('console sign-in (WeCom login, passwords, sessions, DESIGN §7.1)', () => {
  const db = useTestDatabase();
  let h: SidebarHarness;
  let aliceId: string;
  const origin = () => ({ origin: h.url });

  /** The browser's way: /auth/wecom/login → emulator Web login as `userid` → callback. */
  const wecomSignIn = async (userid: string, jar = new CookieJar(), next?: string) => {
    const start = await h.request(`/auth/wecom/login${next ? `?next=${encodeURIComponent(next)}` : ''}`, { jar });
    if (start.status !== 302 || !start.location) throw new Error(`login: ${start.status} ${start.text}`);
    const login = await fetch(withEmulatorUser(start.location, userid), { redirect: 'manual' });
    const callbackUrl = login.headers.get('location');
    if (login.status !== 302 || !callbackUrl) throw new Error(`web login: ${login.status} ${await login.text()}`);
    return { jar, start, callbackUrl, callback: await h.request(callbackUrl, { jar }) };
  };
  const api = (
    path: string,
    jar: CookieJar,
    init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
  ) =>
    h.request(`/api/v1${path}`, {
      jar,
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      ...(init.json !== undefined ? { json: init.json } : {}),
    });
  const sessionOf = (r: Reply) => r.headers.getSetCookie().find((c) => c.startsWith(`${CONSOLE_COOKIE}=`));

  beforeAll(async () => {
    h = await startSidebar(db);
    const added = await h.request('/api/v1/operators', {
      method: 'POST',
      bearer: h.adminKey,
      json: { corpId: h.corpId, userid: 'alice', role: 'admin' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ kind: 'wecom', name: 'alice', role: 'admin', enabled: true });
    aliceId = added.body.id;
  });
  afterAll(() => h.close());

  it('lists the ways to sign in as JSON and serves the sign-in page as HTML', async () => {
    const choices = await h.request('/console/login', { headers: { accept: 'application/json' } });
    expect(choices.body).toEqual({ wecom: [{ corpId: h.corpId, name: expect.anything() }], password: false });
    const page = await h.request('/console/login', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="app">');
  });

  it('sends the browser to WeCom Web login with a state bound to it, and to OAuth inside the WeCom client', async () => {
    const jar = new CookieJar();
    const start = await h.request('/auth/wecom/login?next=/console%23/tags', { jar });
    expect(start.status).toBe(302);
    const u = new URL(start.location!);
    expect(u.pathname).toMatch(/\/wwlogin\/sso\/login$/);
    const state = u.searchParams.get('state')!;
    expect(Object.fromEntries(u.searchParams)).toMatchObject({
      login_type: 'CorpApp',
      appid: h.corpId,
      redirect_uri: `${h.url}/auth/wecom/callback`,
      state,
    });
    const [cookie] = start.headers.getSetCookie();
    expect(cookie).toMatch(new RegExp(`^siyu_oauth_${state}=.*; path=/auth/wecom/callback;.*httponly`, 'i'));
    const inside = await h.request('/auth/wecom/login', { headers: { 'user-agent': 'Mozilla/5.0 wxwork/4.1.0' } });
    expect(inside.location).toMatch(/\/connect\/oauth2\/authorize\?.*scope=snsapi_base/);
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'console']) {
      const bad = await h.request(`/auth/wecom/login?next=${encodeURIComponent(next)}`);
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('NEXT_NOT_ALLOWED');
    }
  });

  it('signs an operator in: http-only Lax cookie, back to next, whoami names the person', async () => {
    const { jar, callback } = await wecomSignIn('alice', undefined, '/console#/tags');
    expect(callback.status).toBe(302);
    expect(callback.location).toBe('/console#/tags');
    const cookie = sessionOf(callback)!;
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);
    expect(cookie).not.toMatch(/secure/i);
    const me = await api('/whoami', jar);
    expect(me.body).toEqual({
      kind: 'operator',
      id: aliceId,
      name: 'alice',
      role: 'admin',
      corpId: h.corpId,
      userid: 'alice',
    });
    const key = await h.request('/api/v1/whoami', { bearer: h.adminKey });
    expect(key.body).toEqual({ kind: 'key', id: expect.any(String), name: 'sidebar-test-admin', role: 'admin' });
  });

  it('refuses login CSRF: a code and state without the state cookie is a 400 and signs nobody in', async () => {
    const jar = new CookieJar();
    const start = await h.request('/auth/wecom/login', { jar });
    const login = await fetch(withEmulatorUser(start.location!, 'alice'), { redirect: 'manual' });
    const callbackUrl = login.headers.get('location')!;
    const victim = await h.request(callbackUrl, { jar: new CookieJar() });
    expect(victim.status).toBe(400);
    expect(victim.text).toContain('INVALID_STATE');
    expect(sessionOf(victim)).toBeUndefined();
  });

  it('refuses a replayed callback and a replayed code with 400', async () => {
    const first = await wecomSignIn('alice');
    expect(first.callback.status).toBe(302);
    const again = await h.request(first.callbackUrl, { jar: first.jar });
    expect(again.status).toBe(400);
    expect(sessionOf(again)).toBeUndefined();
    // The same code under a fresh state of this browser: WeCom answers 40029 for a used code.
    const jar = new CookieJar();
    const start = await h.request('/auth/wecom/login', { jar });
    const state = new URL(start.location!).searchParams.get('state')!;
    const code = new URL(first.callbackUrl).searchParams.get('code')!;
    const replay = await h.request(`/auth/wecom/callback?code=${code}&state=${state}`, { jar });
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('INVALID_CODE');
    expect(sessionOf(replay)).toBeUndefined();
  });

  it('gives a member who is not an operator a 403 page naming them', async () => {
    const { callback } = await wecomSignIn('bob');
    expect(callback.status).toBe(403);
    expect(callback.headers.get('content-type')).toMatch(/text\/html/);
    expect(callback.text).toContain('bob');
    expect(callback.text).toContain('不是控制台的操作员');
    expect(sessionOf(callback)).toBeUndefined();
  });

  it('refuses a cookie-carried change from another origin (403) and takes it from the console origin', async () => {
    const { jar } = await wecomSignIn('alice');
    const json = { name: `标签-${Date.now()}` };
    const noOrigin = await api('/tags', jar, { method: 'POST', json });
    expect(noOrigin.status).toBe(403);
    const foreign = await api('/tags', jar, { method: 'POST', json, headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    const own = await api('/tags', jar, { method: 'POST', json, headers: origin() });
    expect(own.status).toBe(201);
    const audit = await h.request(`/api/v1/audit?action=tag.create&targetId=${own.body.id}`, { bearer: h.adminKey });
    expect(audit.body.items[0]).toMatchObject({
      actor: `operator:${aliceId}`,
      actorName: 'alice',
      actorUserid: 'alice',
    });
  });

  it("gives a viewer's write a 403 and lets the viewer read", async () => {
    const viewer = await createOperatorSession(h.app, 'viewer');
    const jar = new CookieJar();
    jar.store(new Response(null, { headers: { 'set-cookie': `${CONSOLE_COOKIE}=${viewer.cookie}; path=/` } }));
    expect((await api('/tags', jar)).status).toBe(200);
    const write = await api('/tags', jar, { method: 'POST', json: { name: 'x' }, headers: origin() });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toMatch(/operator is viewer/);
  });

  it('locks a login after 5 failures in 15 minutes (429), unknown logins alike, and lets the right password in', async () => {
    const admin = { bearer: h.adminKey };
    const made = await h.request('/api/v1/operators', {
      method: 'POST',
      ...admin,
      json: { login: 'carol', password: 'correct horse battery', role: 'operator', name: '卡罗' },
    });
    expect(made.status).toBe(201);
    expect(JSON.stringify(made.body)).not.toContain('correct horse');
    const signIn = (login: string, password: string) =>
      h.request('/auth/password', { method: 'POST', json: { login, password }, headers: origin() });
    const ok = await signIn('carol', 'correct horse battery');
    expect(ok.status).toBe(204);
    expect(sessionOf(ok)).toBeDefined();
    const wrong = await signIn('carol', 'wrong password!');
    const unknown = await signIn('nobody', 'wrong password!');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(unknown.body).toEqual(wrong.body);
    for (let i = 0; i < 3; i++) expect((await signIn('nobody', 'x')).status).toBe(401);
    expect((await signIn('nobody', 'x')).status).toBe(429);
    for (let i = 0; i < 3; i++) expect((await signIn('carol', 'nope')).status).toBe(401);
    const locked = await signIn('carol', 'nope');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('LOGIN_LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn('carol', 'correct horse battery')).status).toBe(429);
    await h.advance(15 * 60 + 1);
    expect((await signIn('carol', 'correct horse battery')).status).toBe(204);
    const crossSite = await h.request('/auth/password', {
      method: 'POST',
      json: { login: 'carol', password: 'correct horse battery' },
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
  });

  it('ends the session at logout', async () => {
    const { jar } = await wecomSignIn('alice');
    expect((await api('/whoami', jar)).status).toBe(200);
    const stale = jar.clone();
    const out = await h.request('/auth/logout', { method: 'POST', jar, headers: origin() });
    expect(out.status).toBe(204);
    expect((await api('/whoami', stale)).status).toBe(401);
  });

  it('ends an operator’s sessions when an admin disables them, and after 8 idle hours', async () => {
    const dave = await createOperatorSession(h.app, 'operator', '戴夫');
    const jar = new CookieJar();
    jar.store(new Response(null, { headers: { 'set-cookie': `${CONSOLE_COOKIE}=${dave.cookie}; path=/` } }));
    expect((await api('/whoami', jar)).body.name).toBe('戴夫');
    const alice = await wecomSignIn('alice');
    const off = await api(`/operators/${dave.id}`, alice.jar, {
      method: 'PATCH',
      json: { enabled: false },
      headers: origin(),
    });
    expect(off.status).toBe(200);
    expect(off.body.enabled).toBe(false);
    expect((await api('/whoami', jar)).status).toBe(401);
    const audit = await h.request(`/api/v1/audit?action=operator.disable&targetId=${dave.id}`, { bearer: h.adminKey });
    expect(audit.body.items[0]).toMatchObject({
      actor: `operator:${aliceId}`,
      actorName: 'alice',
      actorUserid: 'alice',
    });
    expect(audit.body.items[0].details).toMatchObject({ sessionsEnded: 1 });
    await h.advance(8 * 3600);
    expect((await api('/whoami', alice.jar)).status).toBe(401);
  });

  it('lets only admins manage operators, and validates what they send', async () => {
    const op = await createOperatorSession(h.app, 'operator');
    const jar = new CookieJar();
    jar.store(new Response(null, { headers: { 'set-cookie': `${CONSOLE_COOKIE}=${op.cookie}; path=/` } }));
    expect((await api('/operators', jar)).status).toBe(403);
    const bad = await h.request('/api/v1/operators', {
      method: 'POST',
      bearer: h.adminKey,
      json: { login: 'x', role: 'god' },
    });
    expect(bad.status).toBe(422);
    const dup = await h.request('/api/v1/operators', {
      method: 'POST',
      bearer: h.adminKey,
      json: { corpId: h.corpId, userid: 'alice', role: 'viewer' },
    });
    expect(dup.status).toBe(409);
    expect(
      (await h.request('/api/v1/operators/999999', { method: 'PATCH', bearer: h.adminKey, json: { role: 'viewer' } }))
        .status,
    ).toBe(404);
  });
});
