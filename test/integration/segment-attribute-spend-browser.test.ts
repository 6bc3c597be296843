import { rebuildPurchaseFigures } from '../../src/storage/customers/purchase-figures.repository';
import type { Browser } from 'playwright-core';
import { uuidv7 } from '../../src/storage/ids';
import { insertIgnore } from '../../src/storage/sql';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { PEOPLE, choose, openConsolePage, shot, signIn } from '../helpers/console-browser';

/**
 * The operator's segment "兴趣 contains 户外 AND spent ≥ ¥500" (DESIGN §10.4), built by clicking in the console's
 * segment builder in a real headless Chromium: the live count is the people who hold 户外 and paid at least
 * 50000 fen, the same count the API previews for the JSON the builder shows.
 */
describeWithChromium('segment builder: a custom field and spend together', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let browser: Browser;
  let operator: string;
  const errors: string[] = [];
  /** [name, interests, paid orders in fen]; ≥ ¥500 with 户外: 刘一 (600), 陈二 (exactly 500), 张三 (200 + 350). */
  const people: [string, string[], number[]][] = [
    ['刘一', ['户外'], [60_000]],
    ['陈二', ['户外', '阅读'], [50_000]],
    ['张三', ['户外'], [20_000, 35_000]],
    ['李四', ['户外', '烘焙'], [30_000]],
    ['王五', ['阅读'], [80_000]],
    ['赵六', [], [90_000]],
    ['孙七', ['户外'], []],
  ];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestApp(db.ds, testConfig(db.url));
    operator = await t.key('operator', 'Otto Operator');
    const defined = await t.request('/api/v1/attributes', {
      method: 'POST',
      key: operator,
      json: {
        key: 'interests',
        label: { 'zh-CN': '兴趣', en: 'Interests' },
        type: 'multiEnum',
        options: ['户外', '阅读', '烘焙'],
      },
    });
    expect(defined.status).toBe(201);
    const now = new Date();
    let order = 0;
    for (const [name, interests, orders] of people) {
      const id = uuidv7();
      await insertIgnore(db.ds, 'customers', [
        { id, status: 'active', display_name: name, created_at: now, updated_at: now },
      ]);
      if (interests.length) {
        const set = await t.request(`/api/v1/customers/${id}/attributes`, {
          method: 'PATCH',
          key: operator,
          json: { interests },
        });
        expect(set.status).toBe(200);
      }
      await insertIgnore(
        db.ds,
        'transactions',
        orders.map((fen) => ({
          mch_id: '1900000001',
          out_trade_no: `SEG-${++order}`,
          amount_total: fen,
          currency: 'CNY',
          state: 'SUCCESS',
          customer_id: id,
          success_time: now,
        })),
      );
    }
    // Fixtures write transactions directly; the writers keep the purchase figures, so the fixture recomputes them.
    await rebuildPurchaseFigures(db.ds);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  it('builds 兴趣 包含 户外 and 消费金额 至少 500 by clicking and previews the three people who match', async () => {
    const page = await openConsolePage(browser, t.url, '#/segments/new', errors);
    await signIn(page, t.app, PEOPLE.operator);
    await choose(page, '.rule-condition >> nth=0 >> .cond-type', '自定义字段');
    await choose(page, '.rule-condition >> nth=0 >> .cond-attr-key', '兴趣');
    await choose(page, '.rule-condition >> nth=0 >> .cond-attr-op', /^包含$/);
    await choose(page, '.rule-condition >> nth=0 >> .cond-attr-value', /^户外$/);
    // 户外 alone: 刘一, 陈二, 张三, 李四, 孙七.
    await page.locator('.live-count', { hasText: '符合条件：5 人' }).waitFor();

    await page.click('.rule-group .add-condition');
    await choose(page, '.rule-condition >> nth=1 >> .cond-type', '消费金额');
    const minYuan = page.locator('.rule-condition >> nth=1 >> .el-input-number >> nth=0 >> input');
    await minYuan.fill('500');
    await minYuan.press('Tab');
    await page.locator('.live-count', { hasText: '符合条件：3 人' }).waitFor();
    expect(await page.locator('.live-count').getAttribute('data-pending')).toBe('no');

    await page.locator('.json .el-collapse-item__header').click();
    const rule = JSON.parse(await page.locator('textarea[name=rule]').inputValue()) as unknown;
    expect(rule).toEqual({
      all: [
        { type: 'attribute', key: 'interests', op: 'contains', value: '户外' },
        { type: 'spend', minFen: 50_000 },
      ],
    });
    await shot(page, 'segment-attribute-spend');

    // The API previews the rule the builder shows to the same people.
    const preview = await t.request('/api/v1/segments/preview', { method: 'POST', key: operator, json: { rule } });
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(3);
    const names = (preview.body.sample as { displayName: string }[]).map((c) => c.displayName).sort();
    expect(names).toEqual(['刘一', '张三', '陈二'].sort());
    await page.context().close();
  }, 60_000);
});
