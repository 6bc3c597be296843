import path from 'path';
import type { Browser } from 'playwright-core';
import { uuidv7 } from '../../src/storage/ids';
import { insertIgnore } from '../../src/storage/sql';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { useTestDatabase } from '../helpers/describe-db';
import { openConsolePage, PEOPLE, shot, signIn } from '../helpers/console-browser';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

/**
 * 同意情况 on the customer page in a real headless Chromium: an operator records that 王芳 withdrew the marketing
 * consent (after the gateway refused a first try without a source), sees it in red with the withdrawn-marketing
 * line; a viewer reads the list with no form.
 */
describeWithChromium('consents on the console customer page', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let browser: Browser;
  let operator: string;
  const customer = uuidv7();
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestApp(db.ds, testConfig(db.url));
    operator = await t.key('operator', 'Otto Operator');
    const now = new Date();
    await insertIgnore(db.ds, 'customers', [
      { id: customer, status: 'active', display_name: '王芳', created_at: now, updated_at: now },
    ]);
    // WeChat's subscription-message popup, as the inbox records it: one template accepted in the mini program.
    const popup = await t.request(`/api/v1/customers/${customer}/consents`, {
      method: 'POST',
      key: operator,
      json: { purpose: 'subscribe_msg:TPL_ORDER', channel: 'mp', granted: true, source: 'wechat' },
    });
    expect(popup.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  it('lets an operator record a withdrawal of 营销: the list shows it in red and the card says tagging stops', async () => {
    const page = await openConsolePage(browser, t.url, `#/customers/${customer}`, errors);
    await signIn(page, t.app, PEOPLE.operator);
    const card = page.getByTestId('customer-consents');
    const rows = card.locator('.el-table__body tr');
    await rows.filter({ hasText: '订阅消息 TPL_ORDER' }).waitFor();
    const popupRow = await rows.filter({ hasText: '订阅消息 TPL_ORDER' }).innerText();
    for (const word of ['小程序', '已同意', '微信']) expect(popupRow).toContain(word);
    expect(await card.getByTestId('marketing-withdrawn').count()).toBe(0);

    // 营销 is offered first; the answer must be chosen before 记录 can be pressed.
    const form = card.getByTestId('consent-form');
    expect(await form.locator('.consent-purpose').innerText()).toContain('营销');
    expect(await form.getByTestId('consent-save').isDisabled()).toBe(true);
    await form.getByText('撤回', { exact: true }).click();
    // Without a source the gateway answers 422, shown as the other forms show it.
    await form.locator('.consent-source input').fill('');
    await form.getByTestId('consent-save').click();
    const refusal = card.locator('.error-box');
    await refusal.filter({ hasText: 'source: must be text of 1 to 64 characters' }).waitFor();
    expect(await refusal.innerText()).toContain('VALIDATION_FAILED');

    await form.locator('.consent-source input').fill('console');
    await form.getByTestId('consent-save').click();
    const marketing = rows.filter({ hasText: '营销' });
    await marketing.locator('.consent-state[data-granted="0"]').waitFor();
    const text = await marketing.innerText();
    for (const word of ['全部渠道', '已撤回', '控制台']) expect(text).toContain(word);
    expect(await marketing.locator('.consent-state').getAttribute('class')).toContain('el-tag--danger');
    expect(await card.getByTestId('marketing-withdrawn').innerText()).toContain(
      '已撤回营销同意：规则与渠道标签不再自动添加',
    );
    expect(await card.locator('.error-box').count()).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'customer-consents');
    // The card alone, readable at full size next to the whole page.
    await card.screenshot({
      path: path.join(process.cwd(), 'test-output', 'screenshots', 'console-consents-card.png'),
    });

    const saved = (await t.request(`/api/v1/customers/${customer}/consents`, { key: operator })).body.items;
    expect(saved).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ purpose: 'marketing', channel: null, granted: false, source: 'console' }),
      ]),
    );
    await page.context().close();
  });

  it('shows a viewer the consents and no form to change them', async () => {
    const page = await openConsolePage(browser, t.url, `#/customers/${customer}`, errors);
    await signIn(page, t.app, PEOPLE.viewer);
    const card = page.getByTestId('customer-consents');
    await card.locator('.consent-state[data-granted="0"]').waitFor();
    expect(await card.getByTestId('marketing-withdrawn').isVisible()).toBe(true);
    expect(await card.getByTestId('consent-form').count()).toBe(0);
    await page.context().close();
  });
});
