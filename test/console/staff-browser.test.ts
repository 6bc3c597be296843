import { mkdirSync } from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { useTestDatabase } from '../helpers/describe-db';
import { PEOPLE, choose, signIn, type Person } from '../helpers/console-browser';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

const SHOTS = path.join(process.cwd(), 'test-output', 'screenshots');

/**
 * The console's staff and handover pages (DESIGN §10.3) in a real Chromium against the app and the emulator: the
 * directory by name with status and customer counts; a rep's customers picked and transferred to a receiver
 * picked by name, the result per customer after the emulator's 24 h (one refusal); a departed rep's unassigned
 * customers assigned in one click.
 */
describeWithChromium('staff and customer transfers in the console', () => {
  const db = useTestDatabase();
  let emu: RunningEmulator;
  let t: TestApp;
  let browser: Browser;
  let corpId: string;
  let accountId: string;
  let refusing = '';
  const pageErrors: string[] = [];

  const control = async <T>(p: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> => {
    const res = await fetch(`${emu.url}/_emulator${p}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`emulator ${p} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const sync = async (resource: 'staff' | 'contacts') =>
    expect((await (await t.app.syncs.start(accountId, resource)).done).status).toBe('done');

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [emu, browser] = await Promise.all([
      startEmulator({ followers: 2, officialAccounts: 1, wecomContacts: 0, wecomStaff: 1 }),
      launchChromium(),
    ]);
    const config = testConfig(db.url, { accounts: gatewayAccounts(emu.state, emu.url) });
    t = await startTestApp(db.ds, config);
    const wecom = config.accounts.find((a) => a.kind === 'wecom')!;
    corpId = wecom.kind === 'wecom' ? wecom.corpId : '';
    accountId = wecom.id;
    for (const [userid, name] of [
      ['rep_wang', '王出让'],
      ['rep_li', '李接手'],
      ['rep_zhao', '赵离职'],
    ])
      await control(`/wecom/${corpId}/staff`, { userid, name, departments: [2] });
    const names = ['周一', '吴二', '郑三', '孙四', '钱五', '冯六'];
    for (const [i, name] of names.entries()) {
      const c = await control<{ externalUserId: string }>(`/wecom/${corpId}/contacts`, {
        name,
        followers: [{ userid: 'rep_wang', remark: name }],
      });
      if (i === 0) refusing = c.externalUserId;
    }
    for (const name of ['陈七', '褚八'])
      await control(`/wecom/${corpId}/contacts`, { name, followers: [{ userid: 'rep_zhao', remark: name }] });
    await sync('staff');
    await sync('contacts');
    await control(`/wecom/${corpId}/staff/rep_zhao/leave`, {});
    await sync('staff');
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

  async function openConsole(hash: string, who: Person): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(12_000);
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (
        m.type() === 'error' &&
        !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())
      )
        pageErrors.push(`console: ${m.text()}`);
    });
    await page.goto(`${t.url}/console${hash}`);
    await signIn(page, t.app, who);
    return page;
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SHOTS, `console-${name}.png`), fullPage: true });

  it('lists the staff by name with status and customer counts, and transfers picked customers to a receiver by name', async () => {
    const page = await openConsole('#/overview', PEOPLE.operator);
    await page.locator('#nav a', { hasText: '员工与客户继承' }).click();
    const rows = page.locator('.staff .el-table__body tr');
    await rows.filter({ hasText: '王出让' }).waitFor();
    await expect(rows.filter({ hasText: '王出让' }).innerText()).resolves.toMatch(/销售部[\s\S]*在职[\s\S]*6/);
    await expect(rows.filter({ hasText: '赵离职' }).innerText()).resolves.toMatch(/已离职[\s\S]*分配离职客户/);
    await shot(page, 'staff-list');

    await rows.filter({ hasText: '王出让' }).locator('a.member-action').click();
    await page.locator('h1.member-title', { hasText: '王出让 的客户' }).waitFor();
    const customers = page.locator('.member-customers .el-table__body tr');
    await customers.filter({ hasText: '周一' }).waitFor();
    expect(await customers.count()).toBe(6);
    for (const name of ['周一', '吴二', '郑三'])
      await customers.filter({ hasText: name }).locator('.el-checkbox').click();
    await expect(page.locator('.picked').innerText()).resolves.toContain('已选 3 位');
    await choose(page, '.receiver-select', '李接手');
    await page.fill('input[name=message]', '后续由李接手为您服务');
    await page.click('button.start-transfer');
    await page.waitForURL(/transfer=/);
    await expect(page.locator('.result-title').innerText()).resolves.toBe('转移结果：王出让 → 李接手');
    await expect(page.locator('.result-counts').innerText()).resolves.toContain('等待客户确认 3');
    await shot(page, 'transfer-waiting');

    // 周一 refuses within the 24 h; then the emulator's clock passes the window and the poll reads the results.
    await control(`/wecom/${corpId}/transfers/refuse`, { externalUserId: refusing });
    await control('/clock/advance', { seconds: 24 * 3600 + 1 });
    // The job's work, run until the page shows the transfer over (a poll that meets a transient failure retries).
    const over = page.locator('.result-status', { hasText: '已结束' });
    while (!(await over.isVisible())) {
      await t.app.transfers.poll({ all: true });
      await over.waitFor({ timeout: 4_000 }).catch(() => undefined);
    }
    await expect(page.locator('.result-counts').innerText()).resolves.toContain('已完成 2 · 客户拒绝 1');
    const refused = page.locator('.result-items .el-table__body tr').filter({ hasText: '周一' });
    await expect(refused.innerText()).resolves.toMatch(/客户拒绝[\s\S]*客户拒绝了转接/);
    // The two who moved left 王出让's list.
    await page.locator('.member-customers .el-table__body tr').nth(4).waitFor({ state: 'detached' });
    expect(await page.locator('.member-customers .el-table__body tr').count()).toBe(4);
    await shot(page, 'transfer-done');
  });

  it('lists a departed rep’s unassigned customers and assigns them all in one click', async () => {
    const page = await openConsole('#/staff', PEOPLE.operator);
    await page.locator('.staff .el-table__body tr').filter({ hasText: '赵离职' }).locator('a.member-action').click();
    await page.locator('.left-note').waitFor();
    const customers = page.locator('.member-customers .el-table__body tr');
    await customers.filter({ hasText: '陈七' }).waitFor();
    expect(await customers.count()).toBe(2);
    await choose(page, '.receiver-select', '李接手');
    await expect(page.locator('button.assign-all').innerText()).resolves.toBe('一键分配全部 2 位客户');
    await shot(page, 'departed-unassigned');
    await page.click('button.assign-all');
    await page.waitForURL(/transfer=/);
    await expect(page.locator('.result-counts').innerText()).resolves.toContain('等待客户确认 2');
    await shot(page, 'departed-assigned');
  });
});
