import type { Browser, Page } from 'playwright-core';
import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { PhoneCrypto } from '../../src/security/phone-crypto';
import { syncRuntime } from '../../src/syncs/sync-runtime';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';


/**
 * The operator console in a real headless Chromium against the real app, on the test database, with the
 * emulator behind the accounts: sign-in, search, a customer page, manual tagging, role-dependent controls, the
 * 401 path and a full sync followed to its end.
 */
describeWithChromium('operator console in a browser', () => {
  const db = useTestDatabase();
  let emu: RunningEmulator;
  let t: TestApp;
  let browser: Browser;
  let keys: { admin: string; operator: string; viewer: string };
  let customerId: string;
  let tagId: string;
  let corpId: string;
  let oaAppId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [emu, browser] = await Promise.all([
      startEmulator({ followers: 12, officialAccounts: 1, wecomContacts: 6, wecomStaff: 2 }),
      launchChromium(),
    ]);
    const config = testConfig(db.url, { accounts: gatewayAccounts(emu.state, emu.url) });
    t = await startTestApp(db.ds, config);
    keys = { admin: await t.key('admin', 'Ada Admin'), operator: await t.key('operator', 'Otto Operator'), viewer: await t.key('viewer', 'Vera Viewer') };
    const oa = config.accounts.find((a) => a.kind === 'official-account')!;
    oaAppId = oa.kind === 'official-account' ? oa.appId : '';
    corpId = config.accounts.find((a) => a.kind === 'wecom')!.id;
    expect((await (await syncRuntime(t.app).syncs.start(oa.id, 'followers')).done).status).toBe('done');

    // One follower becomes a recognisable person with a verified phone (encrypted at rest, keyed hash).
    const [row] = (await db.ds.query("SELECT id FROM customers WHERE status = 'active' ORDER BY id LIMIT 1")) as { id: string }[];
    customerId = row!.id;
    const phones = new PhoneCrypto(config.security.dataKey);
    const enc = phones.encrypt('13800138000');
    await db.ds.query("UPDATE customers SET display_name = 'Browser Person', phone_enc = ? WHERE id = ?", [enc, customerId]);
    await db.ds.query(
      "INSERT INTO identities (customer_id, type, scope, value, value_enc, source, verified, created_at, updated_at) VALUES (?, 'phone', 'default', ?, ?, 'mp.phone', 1, '2030-01-01 00:00:00.000', '2030-01-01 00:00:00.000')",
      [customerId, phones.hash('13800138000'), enc],
    );
    const tag = await t.request('/api/v1/tags', { method: 'POST', key: keys.operator, json: { name: 'Console VIP' } });
    expect(tag.status).toBe(201);
    tagId = String(tag.body.id);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await syncRuntime(t.app).syncs.stop();
    await t?.close();
    await emu?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  /** A fresh tab (its own sessionStorage) on the console, errors and CSP violations collected. */
  async function openConsole(hash = ''): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // The browser reports each 4xx answer; the console shows those itself, which the tests check.
      if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
    });
    await page.goto(`${t.url}/console${hash}`);
    return page;
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.fill('input[name=apiKey]', key);
    await page.click('form.signin button[type=submit]');
    await page.locator('#who').waitFor({ state: 'visible' });
  }

  it('refuses a wrong key with the API 401 message and keeps it out of the URL', async () => {
    const page = await openConsole();
    const wrong = `sy_AAAAAAAA_${'B'.repeat(43)}`;
    await page.fill('input[name=apiKey]', wrong);
    await page.click('form.signin button[type=submit]');
    const msg = page.locator('form.signin .message');
    await expect(msg.textContent()).resolves.toMatch(/401.*UNAUTHORIZED.*invalid or revoked api key/);
    expect(page.url()).not.toContain(wrong);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.context().close();
  });

  it('signs in an operator, finds a customer, opens it and adds a tag (written to the database)', async () => {
    const page = await openConsole();
    await signIn(page, keys.operator);
    expect(await page.textContent('#who')).toBe('Otto Operator · operator');
    expect(await page.locator('#nav a', { hasText: 'Audit' }).count()).toBe(0);

    await page.fill('input[name=q]', 'Browser');
    await page.click('form[role=search] button[type=submit]');
    const hit = page.locator('table a', { hasText: 'Browser Person' });
    await hit.click();
    await page.locator('h1', { hasText: 'Browser Person' }).waitFor();
    expect(page.url()).toContain(`#/customers/${customerId}`);
    await expect(page.locator('.facts').first().textContent()).resolves.toContain('138****8000');
    expect(await page.locator('text=Erase this customer').count()).toBe(0);

    await page.locator('select[name=tagId] option', { hasText: 'Console VIP' }).waitFor({ state: 'attached' });
    await page.selectOption('select[name=tagId]', tagId);
    await page.click('button:has-text("Add tag")');
    await page.locator(`.chip[data-tag-id="${tagId}"]`).waitFor();
    const rows = (await db.ds.query('SELECT source FROM customer_tags WHERE customer_id = ? AND tag_id = ?', [customerId, tagId])) as { source: string }[];
    expect(rows.map((r) => r.source)).toEqual(['manual']);

    await page.click('#signout');
    await page.locator('input[name=apiKey]').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.context().close();
  });

  it('shows a viewer the masked phone and no tag or erase controls; an admin the full phone and erase', async () => {
    const viewer = await openConsole(`#/customers/${customerId}`);
    await signIn(viewer, keys.viewer);
    await viewer.locator('h1', { hasText: 'Browser Person' }).waitFor();
    await expect(viewer.locator('.facts').first().textContent()).resolves.toContain('138****8000');
    expect(await viewer.locator('text=Erase this customer').count()).toBe(0);
    expect(await viewer.locator('button:has-text("Add tag")').count()).toBe(0);
    expect(await viewer.locator('.chip-remove').count()).toBe(0);
    await viewer.goto(`${t.url}/console#/inbox`);
    await expect(viewer.locator('main .message').textContent()).resolves.toBe('Your role (viewer) cannot view the inbox.');
    await viewer.context().close();

    const admin = await openConsole(`#/customers/${customerId}`);
    await signIn(admin, keys.admin);
    await admin.locator('h1', { hasText: 'Browser Person' }).waitFor();
    await expect(admin.locator('.facts').first().textContent()).resolves.toContain('13800138000');
    const erase = admin.locator('button:has-text("Erase this customer")');
    expect(await erase.isDisabled()).toBe(true);
    await admin.fill('input[name=confirm]', 'ERASE');
    expect(await erase.isDisabled()).toBe(false);

    // Another follower is erased for real; the answer's counts replace the form.
    const [other] = (await db.ds.query("SELECT id FROM customers WHERE status = 'active' AND id <> ? ORDER BY id DESC LIMIT 1", [customerId])) as { id: string }[];
    await admin.goto(`${t.url}/console#/customers/${other!.id}`);
    await admin.locator('input[name=confirm]').fill('ERASE');
    await admin.click('button:has-text("Erase this customer")');
    await expect(admin.locator('.message.ok').textContent()).resolves.toMatch(new RegExp(`^Erased ${other!.id}: \\d+ identities`));
    const [after] = (await db.ds.query('SELECT status FROM customers WHERE id = ?', [other!.id])) as { status: string }[];
    expect(after!.status).toBe('erased');
    await admin.context().close();
  });

  it('creates a tag group and a tag bound to the Official Account, then assigns it by customer id', async () => {
    const page = await openConsole('#/tags');
    await signIn(page, keys.operator);
    await page.locator('form:has-text("Create group") input[name=name]').fill('Lifecycle');
    await page.click('button:has-text("Create group")');
    await page.locator('table a', { hasText: 'Lifecycle' }).waitFor();
    const [group] = (await db.ds.query("SELECT id FROM tag_groups WHERE name = 'Lifecycle'")) as { id: unknown }[];

    const create = page.locator('form:has(button:has-text("Create tag"))');
    await create.locator(`select[name=newTagGroup] option[value="${String(group!.id)}"]`).waitFor({ state: 'attached' });
    await create.locator('input[name=name]').fill('Console Loyal');
    await create.locator('select[name=newTagGroup]').selectOption(String(group!.id));
    await create.locator(`input[name="bind-oa-${oaAppId}"]`).check();
    await page.click('button:has-text("Create tag")');
    await page.locator('h2', { hasText: 'Console Loyal' }).waitFor();
    const [tag] = (await db.ds.query("SELECT id, group_id FROM tags WHERE name = 'Console Loyal'")) as { id: unknown; group_id: unknown }[];
    expect(String(tag!.group_id)).toBe(String(group!.id));
    await expect(page.locator('table tr', { hasText: oaAppId }).first().textContent()).resolves.toContain('Official Account');

    await page.fill('textarea[name=customerIds]', customerId);
    await page.click('button:has-text("Assign")');
    await expect(page.locator('.message.ok').textContent()).resolves.toBe('Assigned: requested 1, matched 1, changed 1, unchanged 0');
    const rows = (await db.ds.query('SELECT source FROM customer_tags WHERE customer_id = ? AND tag_id = ?', [customerId, String(tag!.id)])) as { source: string }[];
    expect(rows.map((r) => r.source)).toEqual(['manual']);
    await page.context().close();
  });

  it('creates a segment from JSON: the API rule problems are listed, then preview and run', async () => {
    const page = await openConsole('#/segments/new');
    await signIn(page, keys.operator);
    await page.fill('input[name=name]', 'OA followers');
    await page.locator(`select[name=tagId] option[value="${tagId}"]`).waitFor({ state: 'attached' });
    await page.selectOption('select[name=tagId]', tagId);
    await page.fill('textarea[name=rule]', '{ "all": [ { "type": "channel", "channel": "sms" }, { "type": "orders", "min": "x" } ] }');
    await page.click('button:has-text("Create")');
    const problems = page.locator('.message.error li');
    await problems.first().waitFor();
    expect(await problems.count()).toBe(2);
    await expect(page.locator('.message.error code').textContent()).resolves.toBe('VALIDATION_FAILED');

    await page.fill('textarea[name=rule]', '{ "all": [ { "type": "channel", "channel" ');
    await page.click('button:has-text("Create")');
    await expect(page.locator('.message.error').textContent()).resolves.toContain('not valid JSON');

    await page.fill('textarea[name=rule]', '{ "all": [ { "type": "channel", "channel": "oa" } ] }');
    await page.click('button:has-text("Create")');
    await page.locator('button:has-text("Preview")').click();
    const followers = Number(((await db.ds.query("SELECT COUNT(DISTINCT customer_id) AS n FROM identities WHERE type = 'oa_openid'")) as { n: unknown }[])[0]!.n);
    await expect(page.locator('.count').textContent()).resolves.toBe(`${followers} customers match the rule as written above.`);
    await page.click('button:has-text("Run now")');
    await expect(page.locator('.message.ok').textContent()).resolves.toContain(`members ${followers}`);
    await page.context().close();
  });

  it('starts a WeCom contacts sync and follows it to done', async () => {
    const page = await openConsole('#/syncs');
    await signIn(page, keys.operator);
    await page.locator(`select[name=accountId] option[value="${corpId}"]`).waitFor({ state: 'attached' });
    await page.selectOption('select[name=accountId]', corpId);
    await page.selectOption('select[name=resource]', 'contacts');
    await page.click('button:has-text("Start sync")');
    const row = page.locator('tr[data-sync-id]', { hasText: 'contacts' }).first();
    await page.locator('tr[data-sync-id][data-status="done"]', { hasText: 'contacts' }).waitFor({ timeout: 15_000 });
    const id = await row.getAttribute('data-sync-id');
    const run = await t.request(`/api/v1/syncs/${id}`, { key: keys.viewer });
    expect(run.body).toMatchObject({ accountId: corpId, resource: 'contacts', status: 'done', triggeredBy: 'api:Otto Operator' });
    await expect(row.textContent()).resolves.toContain(`${run.body.processed}`);
    await page.context().close();
  });
});
