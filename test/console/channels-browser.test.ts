import { readFileSync } from 'fs';
import type { Browser, Page } from 'playwright-core';
import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { uuidv7 } from '../../src/storage/ids';
import { insertIgnore } from '../../src/storage/sql';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { PEOPLE, choose, openConsolePage, shot, signIn } from '../helpers/console-browser';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

const DAY = 86_400_000;

/**
 * The 渠道活码 pages in a real headless Chromium against the real app and the emulator: an operator creates an OA
 * QR code with a tag in the form, sees its QR image (and downloads it as a PNG), its numbers as charts and the
 * customers it brought; the profile names the customer's first channel; the segment builder offers `source`.
 */
describeWithChromium('channel codes in the console', () => {
  const db = useTestDatabase();
  let emu: RunningEmulator;
  let t: TestApp;
  let browser: Browser;
  let operator: string;
  const customers = [uuidv7(), uuidv7(), uuidv7()];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [emu, browser] = await Promise.all([startEmulator({ followers: 2, officialAccounts: 1 }), launchChromium()]);
    const config = testConfig(db.url, { accounts: gatewayAccounts(emu.state, emu.url) });
    t = await startTestApp(db.ds, config);
    operator = await t.key('operator', 'Otto Operator');
    const tag = await t.request('/api/v1/tags', { method: 'POST', key: operator, json: { name: '门店海报客户' } });
    expect(tag.status).toBe(201);
    const now = new Date();
    await insertIgnore(
      db.ds,
      'customers',
      customers.map((id, i) => ({
        id,
        status: 'active',
        display_name: ['王芳', '李雷', '韩梅梅'][i],
        created_at: now,
        updated_at: now,
      })),
    );
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await emu?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function openConsole(hash = ''): Promise<Page> {
    const page = await openConsolePage(browser, t.url, hash, pageErrors, { acceptDownloads: true });
    await signIn(page, t.app, PEOPLE.operator);
    return page;
  }

  it('creates an OA QR code from the form, shows and downloads its image, its charts and its customers', async () => {
    const page = await openConsole('#/channels');
    await page.locator('#nav a[aria-current=page]', { hasText: '渠道活码' }).waitFor();
    await page.locator('.channels', { hasText: '还没有渠道活码' }).waitFor();
    await page.fill('input[name=channelName]', '门店海报');
    await choose(page, '.create-channel .channel-tags', '门店海报客户');
    await page.keyboard.press('Escape');
    await shot(page, 'channels-new');
    await page.click('.create-channel button[type=submit]');
    await page.waitForURL(/#\/channels\/\d+$/);
    const id = page.url().split('/').pop()!;

    // The customers it brought and their touches over the last days (the inbox's attribution is tested elsewhere).
    const at = (days: number) => new Date(Date.now() - days * DAY);
    await insertIgnore(
      db.ds,
      'customer_channels',
      customers.map((c, i) => ({
        customer_id: c,
        channel_id: id,
        first_at: at(5 - i),
        last_at: at(i),
        touches: 1 + i,
      })),
    );
    await insertIgnore(db.ds, 'channel_activity', [
      ...customers.map((c, i) => ({ channel_id: id, customer_id: c, kind: 'new', at: at(5 - i), dedupe_key: `n${i}` })),
      { channel_id: id, customer_id: customers[1], kind: 'returning', at: at(1), dedupe_key: 'r1' },
      { channel_id: id, customer_id: customers[0], kind: 'lost', at: at(2), dedupe_key: 'l0' },
    ]);
    await page.reload();
    await page.locator('h1', { hasText: '门店海报' }).waitFor();
    await page.locator('img.qr').waitFor();
    expect(
      await page.locator('img.qr').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(100);
    await page.locator('.chart-row canvas').first().waitFor();
    await page.locator('.channel-customers', { hasText: '韩梅梅' }).waitFor();
    await expect(page.locator('[data-stat=new] .stat-value').textContent()).resolves.toBe('3');
    await expect(page.locator('.el-descriptions', { hasText: '门店海报客户' }).count()).resolves.toBe(1);
    await shot(page, 'channel');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.download-qr')]);
    expect(download.suggestedFilename()).toBe('门店海报.png');
    const file = readFileSync((await download.path())!);
    expect(file.subarray(1, 4).toString()).toBe('PNG');

    // The profile names the first channel, linking to it.
    await page.goto(`${t.url}/console#/customers/${customers[0]}`);
    await page.locator('[data-fact=first-channel]', { hasText: '门店海报' }).waitFor();
    await shot(page, 'customer-first-channel');
    await page.context().close();
  }, 90_000);

  it('offers the source condition in the segment builder and counts it live', async () => {
    const page = await openConsole('#/segments/new');
    await choose(page, '.rule-condition .cond-type', '来源渠道活码');
    await choose(page, '.rule-condition .cond-source-channel', '门店海报');
    // All three came through it within the last 7 days (the default window).
    await page.locator('.live-count', { hasText: '符合条件：3 人' }).waitFor();
    await page.locator('.rule-condition .el-checkbox', { hasText: '仅首个来源' }).click();
    await page.locator('.live-count', { hasText: '符合条件：3 人' }).waitFor();
    await shot(page, 'segment-source');
    await page.context().close();
  }, 60_000);

  it('reads in English', async () => {
    const page = await openConsole('#/channels');
    await page.locator('.top .el-radio-button', { hasText: 'English' }).click();
    await page.locator('h1', { hasText: 'Channel codes' }).waitFor();
    await page.locator('.channels a', { hasText: '门店海报' }).click();
    await page.locator('.el-card', { hasText: 'Customers it brought' }).waitFor();
    await page.locator('.chart-row canvas').first().waitFor();
    await shot(page, 'channel-en');
    await page.context().close();
  }, 60_000);
});
