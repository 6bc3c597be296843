import type { Browser } from 'playwright-core';
import type { OperatorListJson } from '../../src/operators/operators-api.types';
import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { PEOPLE, choose, openConsolePage, shot, signIn } from '../helpers/console-browser';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

/**
 * The console's 操作员 page (DESIGN §7.1) in a real Chromium against the app and the emulator: an admin adds a
 * WeCom member picked by name from the staff directory as 只读, sees them in the table by name, changes the role
 * and disables them (the API then answers enabled: false); a viewer is not offered the page.
 */
describeWithChromium('operators page in the console', () => {
  const db = useTestDatabase();
  let emu: RunningEmulator;
  let t: TestApp;
  let browser: Browser;
  let corpId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [emu, browser] = await Promise.all([
      startEmulator({ followers: 1, officialAccounts: 1, wecomContacts: 0, wecomStaff: 1 }),
      launchChromium(),
    ]);
    const config = testConfig(db.url, { accounts: gatewayAccounts(emu.state, emu.url) });
    t = await startTestApp(db.ds, config);
    const wecom = config.accounts.find((a) => a.kind === 'wecom')!;
    corpId = wecom.kind === 'wecom' ? wecom.corpId : '';
    const res = await fetch(`${emu.url}/_emulator/wecom/${corpId}/staff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userid: 'ops_chen', name: '陈晓梅', departments: [2] }),
    });
    expect(res.status).toBeLessThan(300);
    expect((await (await t.app.syncs.start(wecom.id, 'staff')).done).status).toBe('done');
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.app.syncs.stop();
    await t?.close();
    await emu?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('adds a WeCom member picked by name as 只读, changes the role and disables them', async () => {
    const page = await openConsolePage(browser, t.url, '#/overview', pageErrors);
    await signIn(page, t.app, PEOPLE.admin);
    await page.locator('#nav a', { hasText: '操作员' }).click();
    await page.locator('h1', { hasText: '操作员' }).waitFor();
    const rows = page.locator('.operators-table .el-table__body tr');
    await rows.filter({ hasText: PEOPLE.admin.name }).waitFor();

    // The member is found by typing part of the name into the searchable select.
    await page.locator('.member-select').click();
    await page.locator('.member-select input').fill('晓梅');
    await page.locator('.el-select-dropdown__item:visible', { hasText: '陈晓梅' }).click();
    await choose(page, '.new-role', '只读');
    await page.click('button.add-operator');

    const chen = rows.filter({ hasText: '陈晓梅' });
    await chen.waitFor();
    await expect(chen.innerText()).resolves.toMatch(/ops_chen[\s\S]*已启用[\s\S]*从未登录/);
    await expect(chen.locator('.role-select').innerText()).resolves.toContain('只读');
    await chen.locator('.status', { hasText: '已启用' }).waitFor();
    // The admin's own row offers no way to lock themselves out.
    const own = rows.filter({ hasText: PEOPLE.admin.name });
    expect(await own.locator('button.toggle').count()).toBe(0);
    await shot(page, 'operators-added');

    await choose(page, chen.locator('.role-select'), '运营');

    await chen.locator('button.toggle').click();
    const dialog = page.locator('.el-message-box');
    await expect(dialog.innerText()).resolves.toContain('登录会话立即失效');
    await dialog.locator('.el-button--primary').click();
    await chen.locator('.status', { hasText: '已停用' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await shot(page, 'operators-disabled');

    const res = await fetch(`${t.url}/api/v1/operators`, {
      headers: { authorization: `Bearer ${await t.key('admin', 'checker')}` },
    });
    expect(res.status).toBe(200);
    const listed = ((await res.json()) as OperatorListJson).items.find((o) => o.userid === 'ops_chen');
    expect(listed).toMatchObject({ corpId, name: '陈晓梅', role: 'operator', enabled: false });
    await page.context().close();
  });

  it('adds a local account with the password typed twice, refusing two that differ', async () => {
    const page = await openConsolePage(browser, t.url, '#/operators', pageErrors);
    await signIn(page, t.app, PEOPLE.admin);
    await page.locator('.operator-form .kind label', { hasText: '账号密码' }).click();
    await page.fill('.operator-form input[name=login]', 'li.na');
    await page.fill('.operator-form input[name=name]', '李娜');
    await page.fill('.operator-form input[name=password]', 'correct horse battery');
    await page.fill('.operator-form input[name=password2]', 'correct horse batter');
    await page.click('button.add-operator');
    await expect(page.locator('.error-box').innerText()).resolves.toContain('两次输入的密码不一致');
    expect((await t.app.operators.accounts.list()).some((o) => o.login === 'li.na')).toBe(false);

    await page.fill('.operator-form input[name=password2]', 'correct horse battery');
    await page.click('button.add-operator');
    const row = page.locator('.operators-table .el-table__body tr').filter({ hasText: '李娜' });
    await row.waitFor();
    await expect(row.innerText()).resolves.toContain('登录名 li.na');
    await page.locator('.error-box').waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('offers the page to admins only', async () => {
    const page = await openConsolePage(browser, t.url, '#/overview', pageErrors);
    await signIn(page, t.app, PEOPLE.viewer);
    await page.locator('#nav a', { hasText: '概览' }).waitFor();
    expect(await page.locator('#nav a', { hasText: '操作员' }).count()).toBe(0);
    await page.goto(`${t.url}/console#/operators`);
    await page.locator('.forbidden').waitFor();
    expect(await page.locator('.operators').count()).toBe(0);
    await page.context().close();
  });
});
