import { mkdirSync } from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { uuidv7 } from '../../src/storage/ids';
import { insertIgnore } from '../../src/storage/sql';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { useTestDatabase } from '../helpers/describe-db';
import { PEOPLE, choose, signIn, type Person } from '../helpers/console-browser';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

const SHOTS = path.join(process.cwd(), 'test-output', 'screenshots');

/**
 * 自定义字段 in a real headless Chromium: an operator defines 孩子数量 (number) and 兴趣 (multiEnum) on the
 * definitions page, fills them in and writes a note on the profile; a viewer sees a pii field masked.
 */
describeWithChromium('custom fields in the console', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let browser: Browser;
  let operator: string;
  const customer = uuidv7();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
    t = await startTestApp(db.ds, testConfig(db.url));
    operator = await t.key('operator', 'Otto Operator');
    const now = new Date();
    await insertIgnore(db.ds, 'customers', [
      { id: customer, status: 'active', display_name: '王芳', created_at: now, updated_at: now },
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function openConsole(who: Person, hash: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(12_000);
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
    });
    await page.goto(`${t.url}/console${hash}`);
    await signIn(page, t.app, who);
    return page;
  }

  async function define(
    page: Page,
    f: { zh: string; en: string; key: string; type: RegExp; options?: string; staff?: boolean },
  ) {
    const form = page.getByTestId('attribute-form');
    await form.locator('input[name=labelZh]').fill(f.zh);
    await form.locator('input[name=labelEn]').fill(f.en);
    await form.locator('input[name=key]').fill(f.key);
    await choose(page, form.locator('.el-select'), f.type);
    if (f.options) await form.locator('input[name=options]').fill(f.options);
    if (f.staff) await form.getByText('销售（侧边栏）').click();
    await page.getByTestId('attribute-create').click();
    await page.getByTestId('attributes-table').getByText(f.zh).waitFor();
  }

  it('defines 孩子数量 and 兴趣, fills them in on the profile and adds a note', async () => {
    const page = await openConsole(PEOPLE.operator, '#/attributes');
    await define(page, { zh: '孩子数量', en: 'Children', key: 'children', type: /^数字$/, staff: true });
    await define(page, {
      zh: '兴趣',
      en: 'Interests',
      key: 'interests',
      type: /^多选$/,
      options: '户外，阅读，烘焙',
      staff: true,
    });
    await page.screenshot({ path: path.join(SHOTS, 'console-attributes.png'), fullPage: true });
    const defs = (await t.request('/api/v1/attributes', { key: operator })).body.items;
    expect(defs.map((d: { key: string; type: string }) => [d.key, d.type])).toEqual([
      ['children', 'number'],
      ['interests', 'multiEnum'],
    ]);
    expect(defs[1].options).toEqual(['户外', '阅读', '烘焙']);

    await page.goto(`${t.url}/console#/customers/${customer}`);
    const fields = page.getByTestId('customer-fields');
    await fields.locator('[data-field="children"] input').waitFor();
    await fields.locator('[data-field="children"] input').fill('2');
    await fields.locator('[data-field="interests"]').getByText('户外').click();
    await page.getByTestId('fields-save').click();
    await page.getByText('已保存').waitFor();
    await page.locator('[data-testid=customer-notes] textarea').fill('喜欢露营，周末来店');
    await page.getByRole('button', { name: '添加记录' }).click();
    await page.getByTestId('customer-note').filter({ hasText: '喜欢露营' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'console-customer-fields.png'), fullPage: true });
    const profile = (await t.request(`/api/v1/customers/${customer}`, { key: operator })).body;
    expect(profile.attributes).toEqual({ children: 2, interests: ['户外'] });
    expect(profile.notes[0]).toMatchObject({ text: '喜欢露营，周末来店', author: 'Otto Operator' });
  });

  it('offers the attribute condition in the segment builder: 兴趣 contains 户外 counts live', async () => {
    const page = await openConsole(PEOPLE.operator, '#/segments/new');
    await choose(page, '.rule-condition .cond-type', '自定义字段');
    await choose(page, '.rule-condition .cond-attr-key', '兴趣');
    await choose(page, '.rule-condition .cond-attr-op', /^包含$/);
    await choose(page, '.rule-condition .cond-attr-value', /^户外$/);
    // 王芳 holds 户外 (the first test filled it in).
    await page.locator('.live-count', { hasText: '符合条件：1 人' }).waitFor();
    await choose(page, '.rule-condition .cond-attr-value', /^阅读$/);
    await page.locator('.live-count', { hasText: '符合条件：0 人' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'console-segment-attribute.png'), fullPage: true });
    await page.context().close();
  });

  it('shows a viewer a pii field masked and nothing to edit', async () => {
    await t.request('/api/v1/attributes', {
      method: 'POST',
      key: operator,
      json: { key: 'idcard', label: { 'zh-CN': '身份证号', en: 'ID card' }, type: 'text', pii: true },
    });
    const admin = await t.key('admin', 'Ada Admin');
    await t.request(`/api/v1/customers/${customer}/attributes`, {
      method: 'PATCH',
      key: admin,
      json: { idcard: '110101199003071234' },
    });
    const page = await openConsole(PEOPLE.viewer, `#/customers/${customer}`);
    const field = page.getByTestId('customer-fields').locator('[data-field="idcard"]');
    await field.waitFor();
    expect(await field.innerText()).toContain('1****************4');
    expect(await page.getByTestId('customer-fields').innerText()).not.toContain('110101199003071234');
    expect(await page.getByTestId('fields-save').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'console-customer-fields-viewer.png'), fullPage: true });
  });
});
