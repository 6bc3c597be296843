import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Worker } from '../../src/background';
import { uuidv7 } from '../../src/storage/ids';
import { insertIgnore } from '../../src/storage/sql';
import { startWebhookWorker } from '../../src/webhooks/webhook-delivery.worker';
import { describeWithChromium, launchChromium } from '../helpers/chromium';
import { PEOPLE, openConsolePage, shot, signIn, type Person } from '../helpers/console-browser';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { waitFor } from '../integration/callbacks-harness';

/** A receiver on 127.0.0.1 that answers every POST 200 and keeps what it was sent. */
async function receiver(): Promise<{ url: string; seen: { eventId: string; body: string }[]; close(): Promise<void> }> {
  const seen: { eventId: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ eventId: String(req.headers['siyu-event-id']), body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * The 外发通知 pages in a real headless Chromium against the real app and its delivery worker (DESIGN §11): an
 * admin creates a subscription in the dialog and sees its secret once; a tag assigned through the API reaches a
 * local receiver and shows as delivered with its attempts; an operator sends it again; admins disable and delete;
 * viewers are not offered the page.
 */
describeWithChromium('outbound webhooks in the console', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let worker: Worker;
  let browser: Browser;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let operator: string;
  let admin: string;
  const customer = uuidv7();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [rx, browser] = await Promise.all([receiver(), launchChromium()]);
    t = await startTestApp(
      db.ds,
      testConfig(db.url, { webhooks: { backoffBaseSeconds: 0.05, backoffMaxSeconds: 0.2 } }),
    );
    worker = startWebhookWorker(t.app);
    operator = await t.key('operator', 'Otto Operator');
    admin = await t.key('admin', 'Ada Admin');
    const now = new Date();
    await insertIgnore(db.ds, 'customers', [
      { id: customer, status: 'active', display_name: '韩梅梅', created_at: now, updated_at: now },
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await t?.close();
    await rx?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function openConsole(hash: string, who: Person): Promise<Page> {
    const page = await openConsolePage(browser, t.url, hash, pageErrors);
    await signIn(page, t.app, who);
    return page;
  }

  /** Presses 刷新 until `row` shows up: the worker delivers in the background, the page reads on request. */
  async function refreshUntil(page: Page, row: Locator): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await row.waitFor({ timeout: 1_000 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await page.click('button.refresh');
      }
    }
  }

  it('creates a subscription, shows its secret once, and follows a delivery and a redelivery', async () => {
    const page = await openConsole('#/webhooks', PEOPLE.admin);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    await page.locator('#nav a[aria-current=page]', { hasText: '外发通知' }).waitFor();
    await page.locator('.webhooks', { hasText: '还没有外发通知订阅' }).waitFor();

    await page.click('button.new-webhook');
    const dialog = page.locator('.webhook-create');
    await dialog.locator('input[name=webhookUrl]').fill(rx.url);
    await dialog.locator('input[name=webhookDescription]').fill('同步到 CRM');
    await dialog.locator('.event-choices .el-checkbox', { hasText: '打标签' }).click();
    await dialog.locator('.event-choices .el-checkbox', { hasText: '客户已删除' }).click();
    await dialog.locator('button.create-webhook').click();

    // The secret, once, with the warning and a working copy button.
    await dialog.locator('.webhook-secret', { hasText: '只显示这一次' }).waitFor();
    const secret = await dialog.locator('input[name=webhookSecret]').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await dialog.locator('button.copy-secret').click();
    await dialog.locator('.copied', { hasText: '已复制' }).waitFor();
    // What the page put on the clipboard (an expression: the test compiles without the DOM's types).
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(secret);
    await shot(page, 'webhook-secret');
    await dialog.locator('button.secret-saved').click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(secret);
    const row = page.locator('.webhooks .el-table__body tr', { hasText: '同步到 CRM' });
    await expect(row.innerText()).resolves.toMatch(/打标签[\s\S]*客户已删除/);

    // A tag assigned through the API writes a tag.assigned event, which the worker delivers.
    const tag = await t.request('/api/v1/tags', { method: 'POST', key: operator, json: { name: 'VIP' } });
    const tagged = await t.request(`/api/v1/customers/${customer}/tags`, {
      method: 'POST',
      key: operator,
      json: { tagIds: [tag.body.id] },
    });
    expect(tagged.status).toBe(200);

    await row.locator('a.webhook-name').click();
    await page.waitForURL(/#\/webhooks\/\d+$/);
    await page.locator('h1', { hasText: '同步到 CRM' }).waitFor();
    const delivered = page.locator('.deliveries .el-table__body tr', { hasText: '已送达' });
    await refreshUntil(page, delivered);
    await expect(delivered.innerText()).resolves.toMatch(/打标签\s+已送达\s+1\s+200/);
    expect(rx.seen).toHaveLength(1);
    expect(JSON.parse(rx.seen[0]!.body)).toMatchObject({
      type: 'tag.assigned',
      data: { customerId: customer, tagName: 'VIP' },
    });

    // A row opens its attempts.
    await delivered.click();
    const drawer = page.locator('.delivery-drawer');
    await drawer.locator('.el-drawer__title', { hasText: '投递详情：打标签' }).waitFor();
    await expect(drawer.locator('.delivery-attempts .el-table__body').innerText()).resolves.toMatch(/成功[\s\S]*200/);
    await expect(drawer.locator('.payload').innerText()).resolves.toContain(rx.seen[0]!.eventId);
    // The drawer has finished sliding in before the picture is taken.
    // Measured from the test's side: the console's CSP allows no eval, which a string predicate in the page needs.
    const width = page.viewportSize()!.width;
    await waitFor(async () => {
      const box = await page.locator('.el-drawer.delivery-drawer').boundingBox();
      return box !== null && Math.abs(box.x + box.width - width) < 1;
    }, 10_000);
    await shot(page, 'webhook-attempts');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // 重新投递 sends the same event again; the row follows it until it is delivered once more.
    await delivered.locator('button.redeliver').click();
    await page.locator('.deliveries .requeued', { hasText: '已重新排队' }).waitFor();
    await page.locator('.deliveries button.redeliver').waitFor({ timeout: 20_000 });
    await expect(delivered.innerText()).resolves.toMatch(/已送达\s+2\s+200/);
    expect(rx.seen.map((s) => s.eventId)).toEqual([rx.seen[0]!.eventId, rx.seen[0]!.eventId]);
    await expect(page.locator('[data-stat=delivered] .stat-value').innerText()).resolves.toBe('1');
    await page.locator('.small-chart canvas').waitFor();
    await shot(page, 'webhook-detail');

    // The list shows how its deliveries went.
    await page.click('#nav a:has-text("外发通知")');
    await page.locator('.webhooks .health', { hasText: '已送达 1' }).waitFor();
    await page.locator('.webhooks .el-tag', { hasText: '客户已删除' }).waitFor();
    await shot(page, 'webhooks');
    await page.context().close();
  }, 120_000);

  it('lets an admin disable a subscription after a confirmation and delete it', async () => {
    const created = await t.request('/api/v1/webhooks', {
      method: 'POST',
      key: admin,
      json: { url: 'http://127.0.0.1:9/unused', events: ['segment.joined'], description: '旧的报表系统' },
    });
    expect(created.status).toBe(201);
    const page = await openConsole('#/webhooks', PEOPLE.admin);
    const row = page.locator('.webhooks .el-table__body tr', { hasText: '旧的报表系统' });
    await row.locator('.webhook-enabled').click();
    const box = page.locator('.el-message-box');
    await expect(box.innerText()).resolves.toContain('停用期间的变化不会为它记录');
    await box.locator('.el-button--primary').click();
    await box.waitFor({ state: 'hidden' });
    await row.locator('.webhook-enabled:not(.is-checked)').waitFor();
    expect((await t.request(`/api/v1/webhooks/${created.body.id}`, { key: admin })).body.enabled).toBe(false);

    await row.locator('button.delete-webhook').click();
    await expect(box.innerText()).resolves.toContain('删除「旧的报表系统」');
    await box.locator('.el-button--primary').click();
    await row.waitFor({ state: 'detached' });
    expect((await t.request(`/api/v1/webhooks/${created.body.id}`, { key: admin })).status).toBe(404);
    await page.context().close();
  }, 60_000);

  it('shows operators the deliveries without the admin controls, and viewers no page', async () => {
    const page = await openConsole('#/webhooks', PEOPLE.operator);
    const row = page.locator('.webhooks .el-table__body tr', { hasText: '同步到 CRM' });
    await row.locator('.el-tag', { hasText: '已启用' }).waitFor();
    expect(await page.locator('button.new-webhook, .webhook-enabled, button.delete-webhook').count()).toBe(0);
    await row.locator('a.webhook-name').click();
    await page.locator('.deliveries button.redeliver').waitFor();
    await page.context().close();

    const viewer = await openConsole('#/overview', PEOPLE.viewer);
    await viewer.locator('#nav a', { hasText: '概览' }).waitFor();
    expect(await viewer.locator('#nav a', { hasText: '外发通知' }).count()).toBe(0);
    await viewer.goto(`${t.url}/console#/webhooks`);
    await viewer.locator('.forbidden', { hasText: '外发通知' }).waitFor();
    expect(await viewer.locator('.webhooks').count()).toBe(0);
    await viewer.context().close();
  }, 60_000);

  it('reads in English', async () => {
    const page = await openConsole('#/webhooks', PEOPLE.operator);
    await page.locator('.top .el-radio-button', { hasText: 'English' }).click();
    await page.locator('h1', { hasText: 'Webhooks' }).waitFor();
    await page.locator('.webhooks .el-tag', { hasText: 'Tag assigned' }).waitFor();
    await page.locator('.webhooks .health', { hasText: 'Delivered 1' }).waitFor();
    await page.context().close();
  }, 60_000);
});
