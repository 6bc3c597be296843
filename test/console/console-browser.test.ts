import { rebuildPurchaseFigures } from '../../src/storage/customers/purchase-figures.repository';
import type { Browser, Page } from 'playwright-core';
import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { PhoneCrypto } from '../../src/security/phone-crypto';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { PEOPLE, choose, openConsolePage, shot, signIn } from '../helpers/console-browser';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

/** A database time `days` days before now (UTC), so the fixture's purchase is recent whenever the test runs. */
const daysAgo = (days: number): string =>
  new Date(Date.now() - days * 86_400_000).toISOString().replace('T', ' ').replace('Z', '');

/** The fixture payment's order number. */
const ORDER_NO = 'SY0000000001';

/**
 * The operator console in a real headless Chromium against the real app and the emulator: sign-in, the
 * overview, search by name, a profile with a WeCom corp tag added from the catalog (and seen in WeCom), role
 * rules, the catalog, the segment builder with its live count, a sync followed to the end, the English switch.
 * Any page error or CSP violation fails the test that caused it.
 */
describeWithChromium('operator console in a browser', () => {
  const db = useTestDatabase();
  let emu: RunningEmulator;
  let t: TestApp;
  let browser: Browser;
  let keys: { admin: string; operator: string; viewer: string };
  let customerId: string;
  let externalUserid: string;
  let corpId: string;
  let corpAccountId: string;
  let oaAppId: string;
  let followers: number;
  let staffName: string;
  let staffUserid: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [emu, browser] = await Promise.all([
      startEmulator({ followers: 12, officialAccounts: 1, wecomContacts: 6, wecomStaff: 2 }),
      launchChromium(),
    ]);
    const config = testConfig(db.url, { accounts: gatewayAccounts(emu.state, emu.url) });
    t = await startTestApp(db.ds, config);
    keys = {
      admin: await t.key('admin', 'Ada Admin'),
      operator: await t.key('operator', 'Otto Operator'),
      viewer: await t.key('viewer', 'Vera Viewer'),
    };
    const oa = config.accounts.find((a) => a.kind === 'official-account')!;
    const wecom = config.accounts.find((a) => a.kind === 'wecom')!;
    oaAppId = oa.kind === 'official-account' ? oa.appId : '';
    corpId = wecom.kind === 'wecom' ? wecom.corpId : '';
    corpAccountId = wecom.id;
    const syncs = t.app.syncs;
    expect((await (await syncs.start(oa.id, 'followers')).done).status).toBe('done');
    expect((await (await syncs.start(wecom.id, 'contacts')).done).status).toBe('done');
    // The staff directory gives the profile the names of the staff who added a contact (DESIGN §10.3).
    expect((await (await syncs.start(wecom.id, 'staff')).done).status).toBe('done');
    followers = Number(
      (
        (await db.ds.query("SELECT COUNT(DISTINCT customer_id) AS n FROM identities WHERE type = 'oa_openid'")) as {
          n: unknown;
        }[]
      )[0]!.n,
    );

    // One WeCom contact becomes a recognisable person (孙洋) with a verified phone (encrypted at rest, keyed hash).
    const [row] = (await db.ds.query(
      "SELECT customer_id, value FROM identities WHERE type = 'wecom_external_userid' ORDER BY customer_id LIMIT 1",
    )) as { customer_id: unknown; value: string }[];
    customerId = String(row!.customer_id);
    externalUserid = row!.value;
    const phones = new PhoneCrypto(config.security.dataKey);
    const enc = phones.encrypt('13800138000');
    await db.ds.query("UPDATE customers SET display_name = '孙洋', phone_enc = ? WHERE id = ?", [enc, customerId]);
    await db.ds.query(
      "INSERT INTO identities (customer_id, type, scope, value, value_enc, source, verified, created_at, updated_at) VALUES (?, 'phone', 'default', ?, ?, 'mp.phone', 1, ?, ?)",
      [customerId, phones.hash('13800138000'), enc, daysAgo(4), daysAgo(4)],
    );
    // A few timeline entries of the kinds people read: a WeCom add, a message, a payment.
    const [staff] = (await db.ds.query('SELECT staff_userid FROM wecom_follows WHERE customer_id = ? LIMIT 1', [
      customerId,
    ])) as { staff_userid: string }[];
    // Paid a day ago: the profile reads 距上次购买 昨天.
    const paidAt = daysAgo(1);
    const entries: [string, string, string, string, Record<string, unknown>][] = [
      [
        'wecom',
        corpId,
        'wecom.follow_added',
        daysAgo(3),
        { staffUserId: staff!.staff_userid, externalUserId: externalUserid, state: 'spring-fair' },
      ],
      ['official-account', oaAppId, 'oa.message.text', daysAgo(2), { msgId: '1', content: '请问会员卡怎么领？' }],
      [
        'wechat-pay',
        '1900000109',
        'pay.succeeded',
        paidAt,
        {
          outTradeNo: ORDER_NO,
          transactionId: '4200000001',
          amountTotal: 19900,
          currency: 'CNY',
          tradeType: 'JSAPI',
          appId: oaAppId,
        },
      ],
    ];
    for (const [source, account, type, at, payload] of entries) {
      await db.ds.query(
        'INSERT INTO events (customer_id, source, account, type, occurred_at, payload, dedupe_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [customerId, source, account, type, at, JSON.stringify(payload), `console-test:${type}`, at],
      );
    }
    // A payment is a transaction as well as a timeline entry (src/events/transactions.writer.ts): RFM reads transactions.
    await db.ds.query(
      "INSERT INTO transactions (mch_id, out_trade_no, app_id, transaction_id, amount_total, currency, trade_type, success_time, state, customer_id, refunded_total, created_at, updated_at) VALUES ('1900000109', ?, ?, '4200000001', 19900, 'CNY', 'JSAPI', ?, 'SUCCESS', ?, 0, ?, ?)",
      [ORDER_NO, oaAppId, paidAt, customerId, paidAt, paidAt],
    );
    // Fixtures write transactions directly; the writers keep the purchase figures, so the fixture recomputes them.
    await rebuildPurchaseFigures(db.ds);
    staffName = (
      (await db.ds.query('SELECT name FROM wecom_staff WHERE corp_id = ? AND userid = ?', [
        corpId,
        staff!.staff_userid,
      ])) as { name: string }[]
    )[0]!.name;
    staffUserid = staff!.staff_userid;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t.app.syncs.stop();
    await t?.close();
    await emu?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const openConsole = (hash = '', viewport?: { width: number; height: number }): Promise<Page> =>
    openConsolePage(browser, t.url, hash, pageErrors, { viewport });

  it('shows a visitor without a session the sign-in page in Chinese, with no API key field and nothing stored', async () => {
    const page = await openConsole();
    await page.locator('.signin h1').waitFor();
    await expect(page.locator('.signin h1').textContent()).resolves.toBe('私域控制台');
    expect(await page.locator('input[name=apiKey]').count()).toBe(0);
    expect(await page.evaluate('sessionStorage.length + localStorage.length')).toBeLessThanOrEqual(1);
    await page.context().close();
  }, 60_000);

  it('lands an operator on the overview with its charts', async () => {
    const page = await openConsole();
    await signIn(page, t.app, PEOPLE.operator);
    expect(await page.textContent('#who')).toBe('Otto Operator · 运营');
    expect(await page.locator('#nav a', { hasText: '操作日志' }).count()).toBe(0);
    await page.locator('#nav a[aria-current=page]', { hasText: '概览' }).waitFor();
    const overview = await t.request('/api/v1/overview', { key: keys.operator });
    expect(overview.status).toBe(200);
    // ECharts draws each chart on stacked canvases: the first one shows the chart is there.
    for (const chart of ['channels', 'identities', 'daily', 'queues', 'rfm', 'spend'])
      await page.locator(`[data-chart=${chart}] canvas`).first().waitFor();
    await expect(page.locator('[data-stat=total] .stat-value').textContent()).resolves.toBe(
      String(overview.body.customers.total),
    );
    await shot(page, 'overview');
    await page.context().close();
  }, 60_000);

  it('finds the customer by name and adds a WeCom corp tag from the catalog, which reaches WeCom', async () => {
    // A corp tag of the company's library: group 购买意向, tag 高, bound to the corp.
    const group = await t.request('/api/v1/tag-groups', {
      method: 'POST',
      key: keys.operator,
      json: { name: '购买意向' },
    });
    expect(group.status).toBe(201);
    const tag = await t.request('/api/v1/tags', {
      method: 'POST',
      key: keys.operator,
      json: { name: '高', groupId: group.body.id, bindings: [{ channel: 'wecom', corpId, groupName: '购买意向' }] },
    });
    expect(tag.status).toBe(201);
    const tagId = String(tag.body.id);

    const page = await openConsole('#/customers');
    await signIn(page, t.app, PEOPLE.operator);
    await page.fill('input[name=q]', '孙洋');
    await page.click('form[role=search] button[type=submit]');
    await page.locator('table a', { hasText: '孙洋' }).click();
    await page.locator('h1', { hasText: '孙洋' }).waitFor();
    expect(page.url()).toContain(`#/customers/${customerId}`);
    await expect(page.locator('[data-fact=phone]').textContent()).resolves.toBe('138****8000');
    expect(await page.locator('text=删除这位客户').count()).toBe(0);
    // No raw id on the profile until asked for; staff by their directory name; RFM counts the ¥199 payment.
    expect(await page.locator('main').textContent()).not.toContain(externalUserid);
    await expect(page.locator('.follow-staff').first().textContent()).resolves.toBe(staffName);
    expect(staffName).not.toBe(staffUserid);
    await expect(page.locator('[data-rfm=orders]').textContent()).resolves.toBe('1');
    await expect(page.locator('[data-rfm=spent]').textContent()).resolves.toBe('¥199.00');
    await expect(page.locator('[data-rfm=recency]').textContent()).resolves.toBe('昨天');

    await choose(page, '.tag-select[data-name=tagId]', '购买意向 / 高');
    await page.click('button.add-tag');
    await page.locator(`.chip[data-tag-id="${tagId}"]`, { hasText: '高' }).waitFor();
    await expect(page.locator(`.chip[data-tag-id="${tagId}"]`).textContent()).resolves.toContain('购买意向');
    const rows = (await db.ds.query('SELECT source FROM customer_tags WHERE customer_id = ? AND tag_id = ?', [
      customerId,
      tagId,
    ])) as { source: string }[];
    expect(rows.map((r) => r.source)).toEqual(['manual']);

    // The push reaches the emulator's relation of that contact (WeCom mark_tag).
    await t.app.tags.pusher.drain();
    const corp = emu.state.world.wecom[0]!;
    const bound = (await t.request(`/api/v1/tags/${tagId}`, { key: keys.operator })).body as {
      bindings: { remoteTagId: string }[];
    };
    const relations = corp.relationsBySlot[corp.slotOf(externalUserid)] ?? [];
    expect(relations.length).toBeGreaterThan(0);
    for (const r of relations)
      expect(r.tags.map((n) => corp.tags.tag(n)!.id)).toContain(bound.bindings[0]!.remoteTagId);

    // The timeline in words: the staff member who added them, the message text, the amount and order number;
    // the raw payload only behind 详情.
    const timeline = page.locator('.timeline-entry');
    await timeline.first().waitFor();
    const text = await page.locator('.el-timeline').textContent();
    expect(text).toContain('请问会员卡怎么领？');
    expect(text).toContain('¥199.00');
    expect(text).toContain(ORDER_NO);
    expect(text).toContain(`添加了企业微信员工 ${staffName}`);
    expect(text).toContain('spring-fair');
    expect(text).not.toContain('outTradeNo');
    expect(text).not.toContain(staffUserid);
    await page.locator('.timeline-entry[data-type="pay.succeeded"] .details-toggle').click();
    await expect(page.locator('.timeline-entry[data-type="pay.succeeded"] .payload').textContent()).resolves.toContain(
      `"outTradeNo": "${ORDER_NO}"`,
    );
    await shot(page, 'profile-corp-tag');
    await page.context().close();
  }, 60_000);

  it('shows a viewer the masked phone and no tag or erase controls; an admin the full phone and erase', async () => {
    const viewer = await openConsole(`#/customers/${customerId}`);
    await signIn(viewer, t.app, PEOPLE.viewer);
    await viewer.locator('h1', { hasText: '孙洋' }).waitFor();
    await expect(viewer.locator('[data-fact=phone]').textContent()).resolves.toBe('138****8000');
    expect(await viewer.locator('button.add-tag').count()).toBe(0);
    expect(await viewer.locator('.chip .el-tag__close').count()).toBe(0);
    expect(await viewer.locator('button.erase').count()).toBe(0);
    await viewer.goto(`${t.url}/console#/inbox`);
    await expect(viewer.locator('.forbidden').textContent()).resolves.toContain(
      '你的角色（只读）无权查看「回调收件箱」',
    );
    await viewer.context().close();

    const admin = await openConsole(`#/customers/${customerId}`);
    await signIn(admin, t.app, PEOPLE.admin);
    await admin.locator('h1', { hasText: '孙洋' }).waitFor();
    await expect(admin.locator('[data-fact=phone]').textContent()).resolves.toBe('13800138000');
    const erase = admin.locator('button.erase');
    expect(await erase.isDisabled()).toBe(true);
    await admin.fill('input[name=confirm]', 'ERASE');
    expect(await erase.isDisabled()).toBe(false);

    // Another customer is erased for real; the answer's counts replace the form.
    const [other] = (await db.ds.query(
      "SELECT id FROM customers WHERE status = 'active' AND id <> ? ORDER BY id DESC LIMIT 1",
      [customerId],
    )) as { id: unknown }[];
    await admin.goto(`${t.url}/console#/customers/${String(other!.id)}`);
    await admin.locator('input[name=confirm]').fill('ERASE');
    await admin.click('button.erase');
    await expect(admin.locator('.message.ok').textContent()).resolves.toMatch(/^已删除：\d+ 个身份/);
    const [after] = (await db.ds.query('SELECT status FROM customers WHERE id = ?', [String(other!.id)])) as {
      status: string;
    }[];
    expect(after!.status).toBe('erased');
    await admin.context().close();
  }, 60_000);

  it('creates a tag group and a tag bound to the Official Account, then assigns it to a customer found by search', async () => {
    const page = await openConsole('#/tags');
    await signIn(page, t.app, PEOPLE.operator);
    await page.locator('form.create-group input[name=groupName]').fill('生命周期');
    await page.click('form.create-group button[type=submit]');
    await page.locator('.groups table a', { hasText: '生命周期' }).waitFor();

    const create = page.locator('form.create-tag');
    await create.locator('input[name=name]').fill('忠实客户');
    await choose(page, 'form.create-tag .el-select', '生命周期');
    await create.locator(`.binding-row[data-account="${oaAppId}"] .el-checkbox`).click();
    await create.locator('button[type=submit]').click();
    await page.locator('h1', { hasText: '生命周期 / 忠实客户' }).waitFor();
    const [tag] = (await db.ds.query(
      "SELECT t.id, g.name AS group_name FROM tags t JOIN tag_groups g ON g.id = t.group_id WHERE t.name = '忠实客户'",
    )) as { id: unknown; group_name: string }[];
    expect(tag!.group_name).toBe('生命周期');
    await expect(page.locator('.binding-stats').textContent()).resolves.toContain('公众号');

    await page.locator('.customer-picker input').fill('孙洋');
    await page.locator('.el-select-dropdown__item:visible', { hasText: '孙洋' }).click();
    // The multiple select stays open for more picks; clicking elsewhere closes it, as an operator would.
    await page.locator('h1').click();
    await page.locator('.customer-picker .el-tag', { hasText: '孙洋' }).waitFor();
    await page.click('button.assign-button');
    await expect(page.locator('.assign .message.ok').textContent()).resolves.toBe(
      '已打标签：请求 1，匹配 1，变更 1，未变 0，未找到 0',
    );
    const rows = (await db.ds.query('SELECT source FROM customer_tags WHERE customer_id = ? AND tag_id = ?', [
      customerId,
      String(tag!.id),
    ])) as { source: string }[];
    expect(rows.map((r) => r.source)).toEqual(['manual']);
    await shot(page, 'tag');
    await page.context().close();
  }, 60_000);

  it('builds a segment by clicking and shows the live count as the rule changes, then runs it', async () => {
    const tag = await t.request('/api/v1/tags', { method: 'POST', key: keys.operator, json: { name: '公众号粉丝' } });
    const page = await openConsole('#/segments/new');
    await signIn(page, t.app, PEOPLE.operator);
    await page.fill('form.segment-form input[name=name]', '公众号粉丝');
    await choose(page, '.tag-select[data-name=tagId]', '公众号粉丝');
    // The new segment starts with one condition: came from the Official Account channel.
    await expect(page.locator('.rule-condition .cond-channel').textContent()).resolves.toBeDefined();
    // Counted before it is saved: the builder previews the unsaved rule.
    await page.locator('.live-count', { hasText: `符合条件：${followers} 人` }).waitFor();
    await page.click('button.save');
    await page.waitForURL(/#\/segments\/\d+$/);
    // The saved segment opens as a new view: until its Run button shows, the page may still be the create form.
    await page.locator('button.run').waitFor();
    const count = page.locator('.live-count');
    await page.locator('.live-count', { hasText: `符合条件：${followers} 人` }).waitFor();

    // Add a second condition by clicking: at least one order (only 孙洋 has bought, a follower or not).
    const [both] = (await db.ds.query(
      "SELECT COUNT(DISTINCT t.customer_id) AS n FROM transactions t JOIN identities i ON i.customer_id = t.customer_id AND i.type = 'oa_openid'",
    )) as { n: unknown }[];
    const buyingFollowers = Number(both!.n);
    const either = followers + 1 - buyingFollowers;
    await page.click('.rule-group .add-condition');
    await choose(page, '.rule-condition >> nth=1 >> .cond-type', '购买次数');
    await page.locator('.live-count', { hasText: `符合条件：${buyingFollowers} 人` }).waitFor();
    // Any of the two → the followers and the buyer; the JSON shows what the API receives.
    await page.locator('.group-op label', { hasText: '满足任一' }).click();
    await page.locator('.live-count', { hasText: `符合条件：${either} 人` }).waitFor();
    await page.locator('.json .el-collapse-item__header').click();
    const json = JSON.parse(await page.locator('textarea[name=rule]').inputValue()) as unknown;
    expect(json).toEqual({
      any: [
        { type: 'channel', channel: 'oa' },
        { type: 'orders', min: 1 },
      ],
    });
    expect(await count.getAttribute('data-pending')).toBe('no');
    await shot(page, 'segment-builder');

    await page.click('button.save');
    await page.locator('.message.ok', { hasText: '已保存' }).waitFor();
    await page.click('button.run');
    await expect(page.locator('.message.ok', { hasText: '运行完成' }).textContent()).resolves.toContain(
      `成员 ${either}`,
    );
    const [segment] = (await db.ds.query("SELECT rule FROM segments WHERE name = '公众号粉丝'")) as { rule: unknown }[];
    expect(typeof segment!.rule === 'string' ? JSON.parse(segment!.rule) : segment!.rule).toEqual(json);

    // A tag row just added has no tag yet: the builder asks for it (no API error, no count, no saving) until picked.
    await page.click('.rule-group .add-condition');
    await choose(page, '.rule-condition >> nth=2 >> .cond-type', '标签');
    await page.locator('.live-count .unfinished', { hasText: '还有 1 个条件没选好' }).waitFor();
    expect(await page.locator('.builder .error-box').count()).toBe(0);
    expect(await page.locator('button.save').isDisabled()).toBe(true);
    await choose(page, '.rule-condition >> nth=2 >> .tag-select', '公众号粉丝');
    await page.locator('.live-count', { hasText: '符合条件：' }).waitFor();
    expect(await page.locator('button.save').isDisabled()).toBe(false);

    await page.goto(`${t.url}/console#/segments`);
    await page.locator('.segments .segment-tag', { hasText: '公众号粉丝' }).waitFor();
    expect(tag.status).toBe(201);
    await page.context().close();
  }, 60_000);

  it('starts a WeCom contacts sync by account name and follows it to "完成 N"', async () => {
    const page = await openConsole('#/syncs');
    await signIn(page, t.app, PEOPLE.operator);
    await choose(page, 'form .el-select >> nth=0', '企业微信');
    await choose(page, 'form .el-select >> nth=1', '企业微信客户');
    await page.click('button.start-sync');
    await page.locator('.message.ok', { hasText: '已开始同步' }).waitFor();
    // The started run is the newest row; it re-reads itself until it is done.
    const id = await page.locator('[data-sync-id]').first().getAttribute('data-sync-id');
    await page.locator(`[data-sync-id="${id}"][data-status=done]`).waitFor({ timeout: 20_000 });
    const run = await t.request(`/api/v1/syncs/${id}`, { key: keys.viewer });
    expect(run.body).toMatchObject({
      accountId: corpAccountId,
      resource: 'contacts',
      status: 'done',
      triggeredBy: expect.stringMatching(/^api:operator:\d+$/),
    });
    const row = page.locator('tr', { has: page.locator(`[data-sync-id="${id}"]`) });
    await expect(row.locator('.done-count').textContent()).resolves.toBe(`完成 ${run.body.processed}`);
    // WeCom contacts have no total up front: a finished run shows no bar.
    if (run.body.total === null) expect(await row.locator('.el-progress').count()).toBe(0);
    await shot(page, 'syncs');
    await page.context().close();
  }, 60_000);

  it('switches to English and keeps the choice in this browser', async () => {
    const page = await openConsole('#/customers');
    await signIn(page, t.app, PEOPLE.operator);
    await page.locator('.top .el-radio-button', { hasText: 'English' }).click();
    await page.locator('#nav a', { hasText: 'Customers' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    // A reload keeps this tab's session and the language.
    await page.reload();
    await page.locator('#nav a', { hasText: 'Customers' }).waitFor();
    await expect(page.locator('#who').textContent()).resolves.toBe('Otto Operator · operator');
    await page.context().close();
  });

  it('shows on the profile the segments the customer is in, and why, condition by condition', async () => {
    const tag = await t.request('/api/v1/tags', { method: 'POST', key: keys.operator, json: { name: '已购企微好友' } });
    const rule = {
      all: [
        { type: 'followedBy', staffUserid: staffUserid },
        {
          any: [
            { type: 'orders', min: 2 },
            { type: 'spend', minFen: 10000 },
          ],
        },
      ],
    };
    const seg = await t.request('/api/v1/segments', {
      method: 'POST',
      key: keys.operator,
      json: { name: '已购企微好友', tagId: tag.body.id, rule },
    });
    expect(seg.status).toBe(201);
    expect(
      (await t.request(`/api/v1/segments/${seg.body.id}/run`, { method: 'POST', key: keys.operator })).status,
    ).toBe(200);

    // A viewer reads it too, in Chinese: the segment, its state, and each condition with what the data showed.
    const page = await openConsole(`#/customers/${customerId}`);
    await signIn(page, t.app, PEOPLE.viewer);
    const card = page.locator(`.customer-segment[data-segment-id="${seg.body.id}"]`);
    await card.waitFor();
    await expect(card.locator('.segment-name').textContent()).resolves.toBe('已购企微好友');
    await expect(card.locator('.segment-state').textContent()).resolves.toContain('在分群中');
    const lines = await card
      .locator('.explain-node[data-op=condition]')
      .evaluateAll((els) =>
        els.map((e) => [
          e.getAttribute('data-met'),
          e.querySelector('.explain-mark')?.textContent,
          e.querySelector('.explain-cond')?.textContent,
          e.querySelector('.explain-fact')?.textContent,
        ]),
      );
    expect(lines).toEqual([
      ['yes', '✓', `是${staffName}的企业微信好友`, '是好友'],
      ['no', '✗', '购买次数 ≥ 2', '实际 1 次'],
      ['yes', '✓', '消费金额 ≥ ¥100.00', '实际 ¥199.00'],
    ]);
    await expect(card.locator('.explain-node[data-op=any] > .explain-op').textContent()).resolves.toBe(
      '以下条件满足任一',
    );
    expect(await page.locator('main').textContent()).not.toContain(staffUserid);
    // A viewer cannot list the accounts; the timeline names them as the profile does.
    await expect(page.locator('.el-timeline').textContent()).resolves.toContain('经由 品牌服务号');
    expect(await page.locator('.el-timeline').textContent()).not.toContain(oaAppId);
    await shot(page, 'profile-segments');
    await page.context().close();
  }, 60_000);
});
