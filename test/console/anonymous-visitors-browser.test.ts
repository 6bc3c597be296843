import type { Browser } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { PEOPLE, choose, openConsolePage, shot, signIn } from '../helpers/console-browser';
import { useTestDatabase } from '../helpers/describe-db';
import { uuidv7 } from '../../src/storage/ids';
import { insertIgnore } from '../../src/storage/sql';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

/**
 * The customer list and anonymous visitors (DESIGN §11) in a real Chromium: a visitor who tracked pages without
 * signing in is not listed among the people, and is when the operator asks for 含匿名访客 or 仅匿名访客.
 */
describeWithChromium('anonymous visitors in the console', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let browser: Browser;
  let visitor: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(db.ds, testConfig(db.url)), launchChromium()]);
    const known = uuidv7();
    await insertIgnore(db.ds, 'customers', [{ id: known, status: 'active', display_name: '林已识别' }]);
    await insertIgnore(db.ds, 'identities', [
      { customer_id: known, type: 'oa_openid', scope: 'wxoa', value: 'o-known' },
    ]);
    const tracked = await fetch(`${t.url}/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        anonymousId: 'anon-console-0001',
        events: [{ id: 'v1', type: 'page_view', occurredAt: new Date().toISOString(), properties: { path: '/sale' } }],
      }),
    });
    expect(tracked.status).toBe(200);
    visitor = ((await tracked.json()) as { customerId: string }).customerId;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the anonymous visitor only when asked', async () => {
    const page = await openConsolePage(browser, t.url, '#/customers', pageErrors);
    await signIn(page, t.app, PEOPLE.operator);
    const rows = page.locator('.customers tbody tr');
    await rows.filter({ hasText: '林已识别' }).waitFor();
    expect(await rows.count()).toBe(1);
    await choose(page, '.anonymous-filter', '含匿名访客');
    await page.click('.toolbar button[type=submit]');
    await page.locator(`.customers a[href="#/customers/${visitor}"]`).waitFor();
    expect(await rows.count()).toBe(2);
    await expect(page.locator(`.customers a[href="#/customers/${visitor}"]`).textContent()).resolves.toContain(
      '匿名访客',
    );
    await shot(page, 'customers-anonymous');
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
