import { useTestDatabase } from '../helpers/describe-db';
import { CookieJar, SHOP } from '../integration/h5-harness';
import { startSidebar, withEmulatorUser, type SidebarHarness } from '../sidebar/sidebar-harness';

const PUBLIC_URL = 'https://siyu.example.com';

/** The path and query of a URL on the public (https) address, to send to the test server over plain HTTP. */
const local = (url: string): string => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};
const cookie = (headers: Headers, prefix: string): string => {
  const found = headers.getSetCookie().find((c) => c.startsWith(prefix));
  if (!found) throw new Error(`no ${prefix} cookie in ${JSON.stringify(headers.getSetCookie())}`);
  return found;
};

/**
 * DESIGN §7: with an https `server.publicUrl` every session cookie is Secure even when the request reaches the
 * gateway as plain HTTP with no X-Forwarded-Proto (a TLS proxy that does not say so).
 */
describe('session cookies behind a TLS proxy that sends no X-Forwarded-Proto', () => {
  const db = useTestDatabase();
  let h: SidebarHarness;

  beforeAll(async () => {
    h = await startSidebar(db, { server: { publicUrl: PUBLIC_URL, allowedOrigins: [SHOP] } });
  });
  afterAll(() => h.close());

  it('siyu_oauth_* and siyu_h5 of the H5 login are Secure, the session SameSite=None for cross-site pages', async () => {
    const jar = new CookieJar();
    const appId = h.oaAppId(0);
    const start = await h.request(
      `/h5/${appId}/login?${new URLSearchParams({ redirect: `${SHOP}/`, scope: 'snsapi_base' })}`,
      { jar },
    );
    expect(start.status).toBe(302);
    expect(cookie(start.headers, 'siyu_oauth_')).toMatch(/; secure/i);
    const authorize = await fetch(start.location!, { redirect: 'manual' });
    const callbackUrl = authorize.headers.get('location')!;
    expect(callbackUrl.startsWith(`${PUBLIC_URL}/h5/${appId}/oauth/callback`)).toBe(true);
    const done = await h.request(local(callbackUrl), { jar });
    expect(done.status).toBe(302);
    expect(cookie(done.headers, 'siyu_oauth_')).toMatch(/; secure/i);
    const session = cookie(done.headers, 'siyu_h5=');
    expect(session).toMatch(/; secure/i);
    expect(session).toMatch(/samesite=none/i);
    expect(session).toMatch(/httponly/i);
  });

  it('siyu_oauth_* and siyu_sidebar of the sidebar login are Secure', async () => {
    const jar = new CookieJar();
    const start = await h.request(`/sidebar/login?corpId=${h.corpId}`, { jar });
    expect(start.status).toBe(302);
    expect(cookie(start.headers, 'siyu_oauth_')).toMatch(/; secure/i);
    const authorize = await fetch(withEmulatorUser(start.location!, 'alice'), { redirect: 'manual' });
    const done = await h.request(local(authorize.headers.get('location')!), { jar });
    expect(done.status).toBe(302);
    expect(cookie(done.headers, 'siyu_oauth_')).toMatch(/; secure/i);
    const session = cookie(done.headers, 'siyu_sidebar=');
    expect(session).toMatch(/; secure/i);
    expect(session).toMatch(/samesite=lax/i);
  });
});
