import type { Browser } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { openConsolePage, shot } from '../helpers/console-browser';
import { useTestDatabase } from '../helpers/describe-db';
import { startSidebar, type SidebarHarness } from '../sidebar/sidebar-harness';

/**
 * Signing in to the console as a person, in Chromium, through the emulator's WeCom Web login: one click on
 * 使用企业微信登录 signs the admin in; they see their name and role, make a change that the audit log names them
 * for, and sign out. A member of the corp who is not an operator gets the 403 page naming them.
 */
describeWithChromium('console sign-in in a browser (WeCom login through the emulator)', () => {
  const db = useTestDatabase();
  let h: SidebarHarness;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [h, browser] = await Promise.all([startSidebar(db), launchChromium()]);
    const added = await h.request('/api/v1/operators', {
      method: 'POST',
      bearer: h.adminKey,
      json: { corpId: h.corpId, userid: 'alice', role: 'admin', name: '王芳' },
    });
    expect(added.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const visitAs = (userid: string) =>
    h.control
      .post('/oauth/visitors', { appId: h.corpId, userid, sticky: true })
      .then((r) => expect(r.status).toBe(200));

  it('signs an admin in with one click, shows who they are, audits their change by name and signs them out', async () => {
    await visitAs('alice');
    const page = await openConsolePage(browser, h.url, '#/audit', pageErrors);
    const wecom = page.locator('a.wecom-login');
    await expect(wecom.textContent()).resolves.toBe('使用企业微信登录');
    expect(await page.locator('input[name=apiKey]').count()).toBe(0);
    await shot(page, 'login');
    await wecom.click();
    await page.locator('#who').waitFor({ state: 'visible' });
    expect(await page.textContent('#who')).toBe('王芳 · 管理员');
    expect(new URL(page.url()).hash).toBe('#/audit');
    // A change made in the page, carried by the session cookie from the console's own origin.
    const status = await page.evaluate(async () => {
      const r = await fetch('/api/v1/tags', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '浏览器里建的标签' }),
      });
      return r.status;
    });
    expect(status).toBe(201);
    await page.reload();
    await page.locator('#main', { hasText: '王芳' }).waitFor();
    await shot(page, 'signed-in-admin-audit');
    const audit = await h.request('/api/v1/audit?action=tag.create', { bearer: h.adminKey });
    expect(audit.body.items[0]).toMatchObject({ actorName: '王芳', actorUserid: 'alice' });
    await page.click('#signout');
    await page.locator('a.wecom-login').waitFor();
    expect(await page.evaluate(() => fetch('/api/v1/whoami').then((r) => r.status))).toBe(401);
    await page.context().close();
  }, 60_000);

  it('shows a member who is not an operator a 403 page naming them', async () => {
    await visitAs('bob');
    const page = await openConsolePage(browser, h.url, '', pageErrors);
    await page.locator('a.wecom-login').click();
    await page.locator('#message').waitFor();
    expect(await page.textContent('#message')).toContain('bob');
    expect(await page.textContent('h1')).toContain('无权访问控制台');
    await shot(page, 'not-an-operator');
    await page.context().close();
  }, 60_000);
});
