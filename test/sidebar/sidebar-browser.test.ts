import type { Browser } from 'playwright-core';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { useTestDatabase } from '../helpers/describe-db';
import { startSidebar, type SidebarHarness } from './sidebar-harness';


describeWithChromium('sidebar page in Chromium (emulator authorize page + JS-SDK simulator)', () => {
  const db = useTestDatabase();
  let h: SidebarHarness;
  let browser: Browser;

  beforeAll(async () => {
    [h, browser] = await Promise.all([
      startSidebar(db),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("signs alice in, shows the current chat's customer with their tags, and adds a tag by clicking", async () => {
    const tag = async (name: string) => (await h.request('/api/v1/tags', { bearer: h.adminKey, method: 'POST', json: { name, bindings: [{ channel: 'wecom', corpId: h.corpId }] } })).body.id as string;
    const [vip, hot] = [await tag('VIP'), await tag('高意向')];
    const customerId = (await h.request(`/api/v1/customers/lookup?type=wecom_external_userid&scope=${h.corpId}&value=${h.mine.externalUserId}`, { bearer: h.adminKey })).body.id as string;
    expect((await h.request(`/api/v1/customers/${customerId}/tags`, { bearer: h.adminKey, method: 'POST', json: { tagIds: [vip] } })).status).toBe(200);
    // The WeCom client: alice signs in (the authorize page's next visitor) and has the chat with 王小明 open.
    expect((await h.control.post('/oauth/visitors', { appId: h.corpId, userid: 'alice' })).status).toBe(200);
    expect((await h.control.post(`/wecom/${h.corpId}/current-chat`, { userid: 'alice', externalUserId: h.mine.externalUserId })).status).toBe(200);

    const page = await browser.newPage();
    const problems: string[] = [];
    // Script errors and CSP violations count; an avatar on WeChat's CDN cannot load offline and does not.
    const ours = [h.url, h.emu.url];
    page.on('console', (m) => {
      if (m.type() === 'error' && (ours.some((o) => m.location().url.startsWith(o)) || /Content Security Policy/.test(m.text()))) problems.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${h.url}/sidebar?corpId=${h.corpId}`);
    await page.locator('#name', { hasText: '王小明' }).waitFor({ timeout: 10_000 });
    // Browsers carry the authorize URL's #wechat_redirect across the redirects; the JS-SDK signature ignores it.
    expect(page.url().split('#')[0]).toBe(`${h.url}/sidebar?corpId=${h.corpId}`);
    expect(await page.locator('#tags .chip').allTextContents()).toEqual([expect.stringContaining('VIP')]);
    expect(await page.locator('#follows').textContent()).toContain('老客户');

    await page.selectOption('#tag-picker', hot);
    await page.click('#tag-add');
    await page.waitForSelector(`#tags .chip[data-tag-id="${hot}"]`, { timeout: 5_000 });
    const rows = await db.ds.query('SELECT tag_id, source, assigned_by FROM customer_tags WHERE customer_id = ? ORDER BY tag_id', [customerId]);
    expect(rows.map((r: { tag_id: unknown; source: string; assigned_by: string }) => ({ ...r, tag_id: String(r.tag_id) }))).toEqual([
      { tag_id: vip, source: 'manual', assigned_by: 'sidebar-test-admin' },
      { tag_id: hot, source: 'manual', assigned_by: 'wecom:alice' },
    ]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
