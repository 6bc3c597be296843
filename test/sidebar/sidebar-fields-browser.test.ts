import { mkdir } from 'fs/promises';
import path from 'path';
import type { Browser } from 'playwright-core';
import { tagWorkers } from '../../src/tags/tags-services.factory';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { useTestDatabase } from '../helpers/describe-db';
import { startSidebar, type SidebarHarness } from './sidebar-harness';

const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');

describeWithChromium('sidebar custom fields and notes in Chromium at 360 px', () => {
  const db = useTestDatabase();
  let h: SidebarHarness;
  let browser: Browser;
  const admin = (p: string, init: { method?: string; json?: unknown } = {}) =>
    h.request(`/api/v1${p}`, { bearer: h.adminKey, ...init });

  beforeAll(async () => {
    [h, browser] = await Promise.all([startSidebar(db), launchChromium(), mkdir(SCREENSHOTS, { recursive: true })]);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('lets alice fill in 孩子数量 and 兴趣 with taps, add a note and set her remark, saved for the customer and in WeCom', async () => {
    for (const d of [
      {
        key: 'kids',
        label: { 'zh-CN': '孩子数量', en: 'Children' },
        type: 'number',
        editableBy: ['operator', 'staff'],
      },
      {
        key: 'interests',
        label: { 'zh-CN': '兴趣', en: 'Interests' },
        type: 'multiEnum',
        options: ['户外', '阅读', '烘焙'],
        editableBy: ['operator', 'staff'],
      },
      { key: 'budget', label: { 'zh-CN': '预算', en: 'Budget' }, type: 'number' },
    ])
      expect((await admin('/attributes', { method: 'POST', json: d })).status).toBe(201);
    await h.control.post('/oauth/visitors', { appId: h.corpId, userid: 'alice', sticky: true });
    await h.control.post(`/wecom/${h.corpId}/current-chat`, { userid: 'alice', externalUserId: h.mine.externalUserId });
    const context = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${h.url}/sidebar?corpId=${h.corpId}`);
    const fields = page.getByTestId('fields');
    await fields.waitFor({ timeout: 15_000 });
    expect(await fields.locator('h3').allInnerTexts()).toEqual(['孩子数量', '兴趣']);

    // Two taps: + twice for two children; one tap on 户外.
    const kids = fields.locator('[data-field="kids"]');
    await kids.locator('[data-step="1"]').click();
    await kids.getByTestId('field-value').filter({ hasText: '1' }).waitFor();
    await kids.locator('[data-step="1"]').click();
    await kids.getByTestId('field-value').filter({ hasText: '2' }).waitFor();
    await fields.locator('[data-field="interests"] [data-option="户外"]').click();
    await fields.locator('[data-field="interests"] [data-option="户外"][aria-pressed="true"]').waitFor();

    await page.locator('.note-new__text').fill('周末带两个孩子来店，想看露营装备');
    await page.getByTestId('note-add').click();
    await page.getByTestId('note').filter({ hasText: '露营装备' }).waitFor();
    expect(await page.getByTestId('note').first().innerText()).toContain('alice');
    await page.getByTestId('remark-input').fill('王先生-户外');
    await page.getByTestId('description-input').fill('两个孩子，喜欢露营');
    await page.getByTestId('remark-save').click();
    await page.getByText('已提交，企业微信稍后更新').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.getByTestId('fields').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sidebar-360-fields-notes.png'), fullPage: true });

    const customerId = (
      await admin(`/customers/lookup?type=wecom_external_userid&scope=${h.corpId}&value=${h.mine.externalUserId}`)
    ).body.id as string;
    const profile = (await admin(`/customers/${customerId}`)).body;
    expect(profile.attributes).toMatchObject({ kids: 2, interests: ['户外'] });
    expect(profile.attributeSources.kids).toMatchObject({ source: 'staff', by: 'wecom:alice' });
    expect(profile.notes[0]).toMatchObject({ text: '周末带两个孩子来店，想看露营装备', authorKind: 'staff' });
    // The outbox pushes the remark to WeCom: the emulator's relation carries what alice typed.
    await tagWorkers(h.app, h.app.clients).pusher.drain();
    const rel = (
      await h.control.get(`/state/wecom/${h.corpId}/relations`, {
        params: { userid: 'alice', external_userid: h.mine.externalUserId },
      })
    ).data.relations[0];
    expect(rel).toMatchObject({ remark: '王先生-户外', description: '两个孩子，喜欢露营' });
    expect((await admin(`/customers/${customerId}`)).body.follows[0]).toMatchObject({ remark: '王先生-户外' });
    expect(problems).toEqual([]);
    await context.close();
  });
});
