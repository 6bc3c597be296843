import { mkdir } from 'fs/promises';
import path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { writeTimeline } from '../../src/events/timeline.writer';
import { execute } from '../../src/storage/sql';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { useTestDatabase } from '../helpers/describe-db';
import { startSidebar, syncContacts, type SidebarHarness } from './sidebar-harness';

const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');

/** A sales rep's phone-sized sidebar: WeCom's chat toolbar is about 360 px wide. */
async function phone(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // Script errors and CSP violations count; an avatar on WeChat's CDN cannot load offline and does not.
    if (
      m.type() === 'error' &&
      !/qlogo\.cn|ERR_NAME_NOT_RESOLVED|ERR_CONNECTION/.test(`${m.text()} ${m.location().url}`)
    )
      problems.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { context, page, problems };
}

describeWithChromium('sidebar page in Chromium at 360 px (emulator authorize page + JS-SDK simulator)', () => {
  const db = useTestDatabase();
  let h: SidebarHarness;
  let browser: Browser;

  beforeAll(async () => {
    [h, browser] = await Promise.all([startSidebar(db), launchChromium(), mkdir(SCREENSHOTS, { recursive: true })]);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const admin = (p: string, init: { method?: string; json?: unknown } = {}) =>
    h.request(`/api/v1${p}`, { bearer: h.adminKey, ...init });
  const tagIn = async (name: string, groupId: string | null) =>
    (
      await admin('/tags', {
        method: 'POST',
        json: { name, groupId, bindings: [{ channel: 'wecom', corpId: h.corpId }] },
      })
    ).body.id as string;

  it("shows alice the chat's customer in Chinese without a raw id, and adds and removes tags by tapping", async () => {
    const level = (await admin('/tag-groups', { method: 'POST', json: { name: '客户等级' } })).body.id as string;
    const intent = (await admin('/tag-groups', { method: 'POST', json: { name: '购买意向' } })).body.id as string;
    const [, important] = [await tagIn('一般', level), await tagIn('重要', level)];
    await tagIn('高', intent);
    await tagIn('低', intent);
    const vip = await tagIn('VIP', null);
    const customerId = (
      await admin(`/customers/lookup?type=wecom_external_userid&scope=${h.corpId}&value=${h.mine.externalUserId}`)
    ).body.id as string;
    expect((await admin(`/customers/${customerId}/tags`, { method: 'POST', json: { tagIds: [vip] } })).status).toBe(
      200,
    );
    await execute(
      db.ds,
      'INSERT INTO transactions (mch_id, out_trade_no, amount_total, state, customer_id, success_time, refunded_total) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ['1900000001', 'SY20260105001', 12800, 'SUCCESS', customerId, new Date(Date.now() - 86_400_000), 0],
    );
    const event = { customerId, account: h.oaAppId(), occurredAt: new Date(), inboxId: null };
    await writeTimeline(db.ds, {
      ...event,
      source: 'official-account',
      type: 'oa.message.text',
      payload: { msgId: '1', content: '你好，请问有货吗' },
      dedupeKey: 'browser-test#1',
    });
    await writeTimeline(db.ds, {
      ...event,
      source: 'wechat-pay',
      account: '1900000001',
      type: 'pay.succeeded',
      payload: { outTradeNo: 'SY20260105001', amountTotal: 12800 },
      dedupeKey: 'browser-test#2',
    });
    // alice's customer group 老客户福利群, read by the groups sync; then 王小明 joins it, read by the next one.
    const group = await h.control.post(`/wecom/${h.corpId}/groups`, { owner: 'alice', name: '老客户福利群' });
    expect(group.status).toBe(200);
    await syncContacts(h, h.corpId, 'groups');
    const joined = await h.control.post(`/wecom/${h.corpId}/groups/${group.data.chatId}/members`, {
      members: [{ externalUserId: h.mine.externalUserId }],
      joinScene: 3,
    });
    expect(joined.status).toBe(200);
    await syncContacts(h, h.corpId, 'groups');
    // The WeCom client: every sign-in is alice's, and she has the chat with 王小明 open.
    expect((await h.control.post('/oauth/visitors', { appId: h.corpId, userid: 'alice', sticky: true })).status).toBe(
      200,
    );
    expect(
      (
        await h.control.post(`/wecom/${h.corpId}/current-chat`, {
          userid: 'alice',
          externalUserId: h.mine.externalUserId,
        })
      ).status,
    ).toBe(200);

    const { context, page, problems } = await phone(browser);
    await page.goto(`${h.url}/sidebar?corpId=${h.corpId}`);
    await page.getByTestId('customer-name').filter({ hasText: '王小明' }).waitFor({ timeout: 15_000 });
    // Browsers carry the authorize URL's #wechat_redirect across the redirects; the JS-SDK signature ignores it.
    expect(page.url().split('#')[0]).toBe(`${h.url}/sidebar?corpId=${h.corpId}`);
    expect(await page.getByTestId('signed-in').innerText()).toContain('alice');
    expect(await page.getByTestId('customer').innerText()).toContain('备注：老客户');
    const channels = await page.getByTestId('channels').innerText();
    const corp = h.config.accounts.find((a) => a.kind === 'wecom')!;
    expect(channels).toContain('name' in corp && typeof corp.name === 'string' ? corp.name : '企业微信');
    expect(channels).toContain('已添加 · alice');
    const groups = await page.getByTestId('group-row').allInnerTexts();
    expect(groups).toHaveLength(1);
    expect(groups[0]).toContain('老客户福利群');
    expect(groups[0]).toMatch(/\d{4}\/\d\d\/\d\d 入群/);
    const orders = await page.getByTestId('orders').innerText();
    expect(orders).toContain('¥128.00');
    expect(orders).toContain('订单号 SY20260105001');
    const timeline = await page.getByTestId('timeline').innerText();
    expect(timeline).toContain('发来消息：你好，请问有货吗');
    expect(timeline).toContain('支付 ¥128.00 · 订单号 SY20260105001');
    expect(timeline).toContain('加入了客户群「老客户福利群」');
    expect(await page.getByTestId('tag-group').locator('h3').allInnerTexts()).toEqual([
      '客户等级',
      '购买意向',
      '未分组',
    ]);
    // Who the customer is, without one raw id on screen; the ids are one toggle away.
    const ids = [h.mine.externalUserId, h.corpId, customerId];
    const customerText = await page.getByTestId('customer').innerText();
    for (const id of ids) expect(customerText).not.toContain(id);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sidebar-360-zh-CN.png'), fullPage: true });

    await page.getByTestId('ids-toggle').click();
    await page.getByTestId('channel-ids').first().waitFor();
    expect(await page.getByTestId('channels').innerText()).toContain(h.mine.externalUserId);
    await page.getByTestId('timeline-details').first().click();
    await page.locator('.raw').first().waitFor();

    // One tap adds 重要; one tap on VIP (assigned by an operator) removes it.
    await page.locator(`[data-tag-id="${important}"]`).click();
    await page.locator(`[data-tag-id="${important}"][data-on="1"]`).waitFor({ timeout: 5_000 });
    await page.locator(`[data-tag-id="${vip}"]`).click();
    await page.locator(`[data-tag-id="${vip}"][data-on="0"]`).waitFor({ timeout: 5_000 });
    const rows = await db.ds.query(
      'SELECT tag_id, source, assigned_by FROM customer_tags WHERE customer_id = ? ORDER BY tag_id',
      [customerId],
    );
    expect(
      rows.map((r: { tag_id: unknown; source: string; assigned_by: string }) => ({ ...r, tag_id: String(r.tag_id) })),
    ).toEqual([{ tag_id: important, source: 'manual', assigned_by: 'wecom:alice' }]);

    // English by the switch, kept for this browser across a reload.
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('channels').filter({ hasText: 'Channels' }).waitFor();
    await page.reload();
    await page.getByTestId('orders').filter({ hasText: 'Orders' }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('groups').innerText()).toContain('Customer groups');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sidebar-360-en.png'), fullPage: true });
    expect(await page.getByTestId('orders').innerText()).toContain('Order SY20260105001');
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('tells bob, in the chat of a customer he does not follow, who he is signed in as and what to do (403)', async () => {
    // A queued visitor comes before the sticky one: this sign-in is bob's.
    expect((await h.control.post('/oauth/visitors', { appId: h.corpId, userid: 'bob' })).status).toBe(200);
    expect(
      (
        await h.control.post(`/wecom/${h.corpId}/current-chat`, {
          userid: 'bob',
          externalUserId: h.mine.externalUserId,
        })
      ).status,
    ).toBe(200);
    const { context, page, problems } = await phone(browser);
    await page.goto(`${h.url}/sidebar?corpId=${h.corpId}`);
    const status = page.locator('[data-testid="status"][data-state="forbidden"]');
    await status.waitFor({ timeout: 15_000 });
    const text = await status.innerText();
    expect(text).toContain('这位客户不是你的客户');
    const corp = h.config.accounts.find((a) => a.kind === 'wecom')!;
    const corpName = 'name' in corp && typeof corp.name === 'string' ? corp.name : h.corpId;
    expect(await page.getByTestId('forbidden-who').innerText()).toBe(`你当前登录为 bob（${corpName}）。`);
    expect(text).toContain('请用添加了这位客户的员工账号打开侧边栏');
    expect(await page.getByTestId('signed-in').innerText()).toContain('bob');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sidebar-360-forbidden.png'), fullPage: true });
    // The 403 of the profile call is the expected answer here, not a page error.
    expect(problems.filter((p) => !/403/.test(p))).toEqual([]);
    await context.close();
  }, 60_000);

  it('tells alice at a glance that 王小明 withdrew the marketing consent (营销：已撤回, in red)', async () => {
    const customerId = (
      await admin(`/customers/lookup?type=wecom_external_userid&scope=${h.corpId}&value=${h.mine.externalUserId}`)
    ).body.id as string;
    const withdrawn = await admin(`/customers/${customerId}/consents`, {
      method: 'POST',
      json: { purpose: 'marketing', granted: false, source: 'console' },
    });
    expect(withdrawn.status).toBe(201);
    // alice is the sticky visitor from the first test; her open chat is 王小明's again.
    expect(
      (
        await h.control.post(`/wecom/${h.corpId}/current-chat`, {
          userid: 'alice',
          externalUserId: h.mine.externalUserId,
        })
      ).status,
    ).toBe(200);
    const { context, page, problems } = await phone(browser);
    await page.goto(`${h.url}/sidebar?corpId=${h.corpId}`);
    const line = page.locator('[data-testid="customer-marketing"][data-state="withdrawn"]');
    await line.waitFor({ timeout: 15_000 });
    expect((await line.innerText()).trim()).toBe('营销：已撤回');
    // Red: the danger colour of the page (--danger), not the muted grey of the other lines.
    const colour = await line.evaluate(
      (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color,
    );
    expect(colour).toBe('rgb(212, 56, 13)');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sidebar-360-marketing-withdrawn.png') });
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
