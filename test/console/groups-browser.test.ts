import { rebuildPurchaseFigures } from '../../src/storage/customers/purchase-figures.repository';
import type { Browser, Page } from 'playwright-core';
import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { execute } from '../../src/storage/sql';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { PEOPLE, choose, openConsolePage, shot, signIn, type Person } from '../helpers/console-browser';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

interface EmuMember {
  type: 1 | 2;
  userid: string;
}

/**
 * The console's customer groups (DESIGN §10.1) in a real Chromium against the app and the emulator: the 客户群
 * list with its filters, one group with its members and the join/leave chart, the profile's group card, and the
 * segment builder's group conditions with their live count.
 */
describeWithChromium('customer groups in the console', () => {
  const db = useTestDatabase();
  let emu: RunningEmulator;
  let t: TestApp;
  let browser: Browser;
  let operator: string;
  let corpId: string;
  let owner: { userid: string; name: string };
  /** 老客户福利群: the owner, a WeCom contact, a stranger who left; 新品体验群: the owner and two strangers. */
  let vip: { chatId: string; members: EmuMember[] };
  let contactCustomer: string;
  let leaverCustomer: string;
  const pageErrors: string[] = [];

  const control = async <T>(p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${emu.url}/_emulator${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`emulator ${p} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const customerOf = async (externalUserid: string): Promise<string> => {
    const [row] = (await db.ds.query(
      "SELECT customer_id FROM identities WHERE type = 'wecom_external_userid' AND value = ?",
      [externalUserid],
    )) as { customer_id: unknown }[];
    return String(row!.customer_id);
  };

  beforeAll(async () => {
    [emu, browser] = await Promise.all([
      startEmulator({ followers: 4, officialAccounts: 1, wecomContacts: 4, wecomStaff: 2 }),
      launchChromium(),
    ]);
    const config = testConfig(db.url, { accounts: gatewayAccounts(emu.state, emu.url) });
    t = await startTestApp(db.ds, config);
    operator = await t.key('operator', 'Otto Operator');
    const wecom = config.accounts.find((a) => a.kind === 'wecom')!;
    corpId = wecom.kind === 'wecom' ? wecom.corpId : '';
    const staff = (
      await control<{ staff: { userid: string; name: string; contactFeature: boolean; left?: boolean }[] }>(
        `/state/wecom/${corpId}/staff`,
      )
    ).staff;
    const o = staff.find((s) => s.contactFeature && !s.left)!;
    owner = { userid: o.userid, name: o.name };
    expect((await (await t.app.syncs.start(wecom.id, 'contacts')).done).status).toBe('done');
    expect((await (await t.app.syncs.start(wecom.id, 'staff')).done).status).toBe('done');
    const [contact] = (await db.ds.query(
      "SELECT customer_id, value FROM identities WHERE type = 'wecom_external_userid' ORDER BY customer_id LIMIT 1",
    )) as { customer_id: unknown; value: string }[];
    contactCustomer = String(contact!.customer_id);
    vip = await control(`/wecom/${corpId}/groups`, {
      owner: owner.userid,
      name: '老客户福利群',
      members: [{ externalUserId: contact!.value }, { stranger: 1 }, { stranger: 2 }],
      joinScene: 3,
    });
    const fresh = await control<{ chatId: string }>(`/wecom/${corpId}/groups`, {
      owner: owner.userid,
      name: '新品体验群',
      members: [{ stranger: 1 }, { stranger: 2 }],
      joinScene: 2,
    });
    const [stayer, stranger] = vip.members.filter((m) => m.type === 2 && m.userid !== contact!.value) as [
      EmuMember,
      EmuMember,
    ];
    expect((await (await t.app.syncs.start(wecom.id, 'groups')).done).status).toBe('done');
    await control(`/wecom/${corpId}/groups/${vip.chatId}/members/remove`, { members: [stranger.userid] });
    expect((await (await t.app.syncs.start(wecom.id, 'groups')).done).status).toBe('done');
    leaverCustomer = await customerOf(stranger.userid);
    // Payments: the contact 3 days ago, the member who stays 60 days ago, the one who left 2 days ago, and a
    // member of 新品体验群 yesterday — so "in 老客户福利群 and paid in the last 30 days" is the contact alone.
    const other = (
      await control<{ members: EmuMember[] }>(`/state/wecom/${corpId}/groups/${fresh.chatId}`)
    ).members.find((m) => m.type === 2)!;
    for (const [who, daysAgo] of [
      [contactCustomer, 3],
      [await customerOf(stayer.userid), 60],
      [leaverCustomer, 2],
      [await customerOf(other.userid), 1],
    ] as const) {
      await execute(
        db.ds,
        'INSERT INTO transactions (mch_id, out_trade_no, amount_total, state, customer_id, success_time, refunded_total) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ['1900000109', `SYG${daysAgo}`, 9900, 'SUCCESS', who, new Date(Date.now() - daysAgo * 86_400_000), 0],
      );
    }
    // Fixtures write transactions directly; the writers keep the purchase figures, so the fixture recomputes them.
    await rebuildPurchaseFigures(db.ds);
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
    const page = await openConsolePage(browser, t.url, hash, pageErrors);
    await signIn(page, t.app, who);
    return page;
  }

  it('lists the groups with owner names and counts, filters by name and owner, and opens one with its members and chart', async () => {
    const page = await openConsole('#/overview', PEOPLE.viewer);
    await page.locator('#nav a', { hasText: '客户群' }).click();
    await page.locator('.groups .group-link', { hasText: '老客户福利群' }).waitFor();
    const rows = page.locator('.groups .el-table__body tr');
    expect(await rows.count()).toBe(2);
    const vipRow = rows.filter({ hasText: '老客户福利群' });
    // Owner by name; 3 members now (owner, the contact, a stranger), 2 of them customers; 正常.
    await expect(vipRow.innerText()).resolves.toMatch(new RegExp(`${owner.name}[\\s\\S]*3[\\s\\S]*2[\\s\\S]*正常`));
    await shot(page, 'groups-list');

    await page.fill('input[name=q]', '新品');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForURL(/q=/);
    await page.locator('.groups .group-link', { hasText: '新品体验群' }).waitFor();
    await expect(page.locator('.groups .group-link').allInnerTexts()).resolves.toEqual(['新品体验群']);
    await page.fill('input[name=q]', '');
    await choose(page, '.owner-select', owner.name);
    await page.click('form[role=search] button[type=submit]');
    await page.waitForURL(new RegExp(`owner=${owner.userid}`));
    await page.locator('.groups .group-link', { hasText: '老客户福利群' }).waitFor();
    expect(await page.locator('.groups .group-link').count()).toBe(2);

    await page.locator('.groups .group-link', { hasText: '老客户福利群' }).click();
    await page.locator('h1.group-title', { hasText: '老客户福利群' }).waitFor();
    await expect(page.locator('.group-owner').innerText()).resolves.toBe(owner.name);
    const members = page.locator('.group-members .el-table__body tr');
    await members.first().waitFor();
    expect(await members.count()).toBe(4);
    // The contact (by the name WeCom shows in the group) links to the profile; joined by the group QR code, in words; the stranger who left has a left time.
    const contact = members.filter({ has: page.locator(`a.member-link[href="#/customers/${contactCustomer}"]`) });
    await expect(contact.innerText()).resolves.toContain('扫描群二维码入群');
    expect(await members.filter({ hasText: owner.name }).innerText()).toContain('员工');
    expect(await page.locator('.group-members .member-left').count()).toBe(1);
    // The chart counts today's joins (owner, the contact, two strangers) and the one leave.
    await page.locator('.group-activity canvas').waitFor();
    await expect(page.locator('.group-activity .card-head').innerText()).resolves.toContain('入群 4 人 · 退群 1 人');
    await page.locator('.show-left').click();
    await expect(members.count()).resolves.toBe(3);
    await page.locator('.show-left').click();
    await shot(page, 'group-detail');

    await contact.locator('a.member-link').click();
    await page.locator('.customer-groups .group-link', { hasText: '老客户福利群' }).waitFor();
    await shot(page, 'customer-groups');
    // The stranger who left is in no group now.
    await page.goto(`${t.url}/console#/customers/${leaverCustomer}`);
    await page.locator('.customer-groups', { hasText: '没有加入任何客户群。' }).waitFor();
    // Their timeline says so, naming the group.
    await page
      .locator('.timeline-entry[data-type="wecom.group.left"]', { hasText: '退出客户群「老客户福利群」' })
      .waitFor();
    await page.context().close();
  }, 90_000);

  it('builds "in 老客户福利群 and paid in the last 30 days" by clicking, counts it live, and explains it by the group name', async () => {
    const tag = await t.request('/api/v1/tags', { method: 'POST', key: operator, json: { name: '福利群近期购买' } });
    expect(tag.status).toBe(201);
    const page = await openConsole('#/segments/new', PEOPLE.operator);
    await page.fill('form.segment-form input[name=name]', '福利群近期购买');
    await choose(page, '.tag-select[data-name=tagId]', '福利群近期购买');
    await choose(page, '.rule-condition >> nth=0 >> .cond-type', '所在客户群');
    await choose(page, '.rule-condition >> nth=0 >> .cond-group', '老客户福利群');
    // Members now: the contact and the stranger who stayed (the one who left does not count).
    await page.locator('.live-count', { hasText: '符合条件：2 人' }).waitFor();
    await page.click('.rule-group .add-condition');
    await choose(page, '.rule-condition >> nth=1 >> .cond-type', '最近购买');
    await page.locator('.live-count', { hasText: '符合条件：1 人' }).waitFor();
    await page.locator('.json .el-collapse-item__header').click();
    expect(JSON.parse(await page.locator('textarea[name=rule]').inputValue())).toEqual({
      all: [
        { type: 'group', chatId: vip.chatId, corpId },
        { type: 'lastPurchase', withinDays: 30 },
      ],
    });
    expect(await page.locator('.live-count').getAttribute('data-pending')).toBe('no');
    await shot(page, 'segment-group-builder');
    await page.click('button.save');
    await page.waitForURL(/#\/segments\/\d+$/);

    // The contact's profile says why they are in it, naming the group.
    await page.goto(`${t.url}/console#/customers/${contactCustomer}`);
    await page.locator('.segments-card', { hasText: '福利群近期购买' }).waitFor();
    await page.locator('.segments-card', { hasText: '在客户群「老客户福利群」中' }).waitFor();
    await shot(page, 'segment-group-explained');
    await page.context().close();
  }, 90_000);

  it('shows the groups page in English by the switch', async () => {
    const page = await openConsole('#/groups', PEOPLE.viewer);
    await page.locator('.groups .group-link').first().waitFor();
    await page.locator('.el-radio-button', { hasText: 'English' }).click();
    await page.locator('h1', { hasText: 'Customer groups' }).waitFor();
    await expect(page.locator('.groups .el-table__header').innerText()).resolves.toContain('Owner');
    await shot(page, 'groups-list-en');
    await page.context().close();
  }, 60_000);
});
