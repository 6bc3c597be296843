import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Worker } from '../../src/background';
import { createServices } from '../../src/services';
import { silentLogger } from '../../src/logger';
import { HttpMetrics } from '../../src/http/metrics';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { select } from '../../src/storage/sql';
import { startWebhookWorker } from '../../src/webhooks/webhook-delivery.worker';
import { recordWebhookEvent } from '../../src/webhooks/webhook-event.writer';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { waitFor } from './callbacks-harness';

/** The README's receiver, exactly as printed there. */
function readmeReceiver(): string {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Webhooks out'));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README has no receiver');
  return m[1]!;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A receiver answering from `answer`, recording every request. */
async function recorder(answer: (n: number) => number): Promise<{
  url: string;
  seen: { eventId: string; body: string }[];
  close(): Promise<void>;
}> {
  const seen: { eventId: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ eventId: String(req.headers['siyu-event-id']), body });
      res.writeHead(answer(seen.length)).end(`answer ${seen.length}`);
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

describe('webhooks API and delivery', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let worker: Worker;
  let admin: string;
  let operator: string;
  let viewer: string;
  const config = () => testConfig(db.url, { webhooks: { backoffBaseSeconds: 0.05, backoffMaxSeconds: 0.2 } });

  beforeAll(async () => {
    t = await startTestApp(db.ds, config());
    worker = startWebhookWorker(t.app);
    admin = await t.key('admin');
    operator = await t.key('operator');
    viewer = await t.key('viewer');
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  const emit = (type: 'tag.assigned' | 'segment.joined', data: Record<string, unknown>) =>
    retryingTransaction(db.ds, (em) => recordWebhookEvent(em, type, data));

  it('refuses callers without a key, viewers, and operators changing subscriptions', async () => {
    expect((await t.request('/api/v1/webhooks')).status).toBe(401);
    expect((await t.request('/api/v1/webhooks', { key: viewer })).status).toBe(403);
    const r = await t.request('/api/v1/webhooks', {
      method: 'POST',
      key: operator,
      json: { url: 'http://127.0.0.1:1/x', events: ['tag.assigned'] },
    });
    expect(r.status).toBe(403);
  });

  it('refuses a bad URL or an unknown event type with 422 and stores nothing', async () => {
    for (const json of [
      { url: 'ftp://example.com/x', events: ['tag.assigned'] },
      { url: 'http://u:p@example.com/x', events: ['tag.assigned'] },
      { url: 'http://example.com/x', events: ['tag.exploded'] },
      { url: 'http://example.com/x', events: [] },
      { url: 'http://example.com/x', events: ['tag.assigned'], extra: 1 },
    ]) {
      const r = await t.request('/api/v1/webhooks', { method: 'POST', key: admin, json });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.request('/api/v1/webhooks', { key: admin })).body.items).toEqual([]);
    expect((await t.request('/api/v1/webhooks/999', { key: admin })).status).toBe(404);
    expect((await t.request('/api/v1/webhooks/abc', { key: admin })).status).toBe(404);
  });

  it('writes no event while no subscription wants the type', async () => {
    expect(await emit('tag.assigned', { customerId: 'c0' })).toBeNull();
    expect(await select(db.ds, 'SELECT id FROM webhook_events')).toEqual([]);
  });

  it("delivers signed events that the README's receiver verifies", async () => {
    const port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'siyu-receiver-'));
    const file = path.join(dir, 'receiver.js');
    writeFileSync(file, readmeReceiver());
    const created = await t.request('/api/v1/webhooks', {
      method: 'POST',
      key: admin,
      json: { url: `http://127.0.0.1:${port}/`, events: ['tag.assigned', 'segment.joined'], description: '接收器' },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body).toMatchObject({ enabled: true, events: ['tag.assigned', 'segment.joined'] });
    const again = await t.request(`/api/v1/webhooks/${created.body.id}`, { key: operator });
    expect(again.body.secret).toBeUndefined();
    expect(JSON.stringify(await select(db.ds, 'SELECT secret_sealed FROM webhooks'))).not.toContain(
      created.body.secret,
    );

    const child: ChildProcess = spawn(process.execPath, [file], {
      env: { ...process.env, SIYU_WEBHOOK_SECRET: created.body.secret as string, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
    try {
      // The receiver is up once it answers (a 400 to an unsigned request).
      await waitFor(async () =>
        fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' })
          .then((r) => r.status === 400)
          .catch(() => false),
      );
      // A customer, tagged by hand, then made a member of a segment built on that tag.
      const customer = await retryingTransaction(db.ds, (em) =>
        t.app.identity.resolve(em, {
          identities: [{ type: 'oa_openid', scope: 'wxhook', value: 'o-hook-1' }],
          source: 'test',
          profile: { displayName: '李雷' },
        }),
      );
      const customerId = customer.customerId!;
      const vip = (await t.request('/api/v1/tags', { method: 'POST', key: admin, json: { name: 'VIP' } })).body;
      const member = (await t.request('/api/v1/tags', { method: 'POST', key: admin, json: { name: 'VIP人群' } })).body;
      const tagged = await t.request(`/api/v1/customers/${customerId}/tags`, {
        method: 'POST',
        key: operator,
        json: { tagIds: [vip.id] },
      });
      expect(tagged.status).toBe(200);
      const segment = await t.request('/api/v1/segments', {
        method: 'POST',
        key: operator,
        json: { name: 'VIP 客户', tagId: member.id, rule: { type: 'tag', tagId: vip.id } },
      });
      expect(segment.status).toBe(201);
      expect(
        (await t.request(`/api/v1/segments/${segment.body.id}/run`, { method: 'POST', key: operator })).status,
      ).toBe(200);
      await waitFor(async () => lines.length >= 3);
      const seen = lines.map((l) => {
        const [type, eventId] = l.split(' ', 2) as [string, string];
        return {
          type,
          eventId,
          data: JSON.parse(l.slice(type.length + eventId.length + 2)) as Record<string, unknown>,
        };
      });
      expect(seen).toEqual(
        expect.arrayContaining([
          {
            type: 'tag.assigned',
            eventId: expect.any(String),
            data: { customerId, tagId: vip.id, tagName: 'VIP', source: 'manual' },
          },
          {
            type: 'tag.assigned',
            eventId: expect.any(String),
            data: { customerId, tagId: member.id, tagName: 'VIP人群', source: 'rule' },
          },
          {
            type: 'segment.joined',
            eventId: expect.any(String),
            data: { customerId, segmentId: segment.body.id, tagId: member.id },
          },
        ]),
      );
      const segEvent = seen.find((e) => e.type === 'segment.joined')!.eventId;
      const list = await waitFor(async () => {
        const r = await t.request(`/api/v1/webhooks/${created.body.id}/deliveries`, { key: operator });
        return r.body.items.every((d: { status: string }) => d.status === 'delivered') ? r : undefined;
      });
      expect(list.body.items).toHaveLength(3);
      expect(list.body.items[0]).toMatchObject({
        type: 'segment.joined',
        eventId: segEvent,
        attempts: 1,
        lastStatusCode: 200,
      });
      const detail = await t.request(`/api/v1/webhooks/${created.body.id}/deliveries/${list.body.items[0].id}`, {
        key: operator,
      });
      expect(detail.body.attemptsLog[0]).toMatchObject({ ok: true, statusCode: 200, responseExcerpt: 'ok' });
      expect(detail.body.body).toMatchObject({
        id: segEvent,
        type: 'segment.joined',
        data: { segmentId: segment.body.id },
      });

      // A disabled subscription gets no more events.
      const off = await t.request(`/api/v1/webhooks/${created.body.id}`, {
        method: 'PATCH',
        key: admin,
        json: { enabled: false },
      });
      expect(off.body.enabled).toBe(false);
      expect(await emit('tag.assigned', { customerId: 'c2' })).toBeNull();
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('retries a failing receiver with backoff, records every attempt, and redelivers on request', async () => {
    const rx = await recorder((n) => (n <= 2 ? 500 : 200));
    try {
      const created = await t.request('/api/v1/webhooks', {
        method: 'POST',
        key: admin,
        json: { url: rx.url, events: ['tag.assigned'] },
      });
      const id = created.body.id as string;
      const eventId = await emit('tag.assigned', { customerId: 'c3' });
      const done = await waitFor(async () => {
        const r = await t.request(`/api/v1/webhooks/${id}/deliveries`, { key: operator });
        return r.body.items[0]?.status === 'delivered' ? r.body.items[0] : undefined;
      });
      expect(done).toMatchObject({ eventId, attempts: 3, lastStatusCode: 200 });
      expect((await t.request(`/api/v1/webhooks/${id}`, { key: operator })).body.deliveries).toEqual({ delivered: 1 });
      const detail = await t.request(`/api/v1/webhooks/${id}/deliveries/${done.id}`, { key: operator });
      expect(detail.body.attemptsLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([200, 500, 500]);
      expect(detail.body.attemptsLog[1]).toMatchObject({ ok: false, responseExcerpt: 'answer 2' });
      expect(new Set(rx.seen.map((s) => s.eventId))).toEqual(new Set([eventId]));

      const re = await t.request(`/api/v1/webhooks/${id}/deliveries/${done.id}/redeliver`, {
        method: 'POST',
        key: operator,
      });
      expect(re.status).toBe(202);
      await waitFor(async () => rx.seen.length === 4);
      expect(rx.seen[3]!.eventId).toBe(eventId);
      expect(rx.seen[3]!.body).toBe(rx.seen[0]!.body);
      const missing = await t.request(`/api/v1/webhooks/${id}/deliveries/99999/redeliver`, {
        method: 'POST',
        key: operator,
      });
      expect(missing.status).toBe(404);

      const audit = await select(
        db.ds,
        "SELECT action FROM audit_log WHERE target_type = 'webhook' AND target_id = ?",
        [id],
      );
      expect(audit.map((a) => a.action).sort()).toEqual(['webhook.create', 'webhook.redeliver']);
      expect((await t.request(`/api/v1/webhooks/${id}`, { method: 'DELETE', key: admin })).status).toBe(204);
      expect((await t.request(`/api/v1/webhooks/${id}`, { key: admin })).status).toBe(404);
      expect((await t.request(`/api/v1/webhooks/${id}`, { method: 'DELETE', key: admin })).status).toBe(404);
    } finally {
      await rx.close();
    }
  });

  it('delivers each event once per subscription with two instances delivering', async () => {
    const rx = await recorder(() => 200);
    const second = createServices({
      config: config(),
      ds: db.ds,
      logger: silentLogger(),
      metrics: new HttpMetrics(),
      now: () => Date.now(),
    });
    const other = startWebhookWorker(second);
    try {
      const created = await t.request('/api/v1/webhooks', {
        method: 'POST',
        key: admin,
        json: { url: rx.url, events: ['segment.joined'] },
      });
      const ids: string[] = [];
      for (let i = 0; i < 120; i++) ids.push((await emit('segment.joined', { customerId: `m${i}` }))!);
      await waitFor(async () => {
        const [c] = await select(
          db.ds,
          "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = ? AND status = 'delivered'",
          [created.body.id],
        );
        return Number(c!.n) === ids.length;
      });
      expect(new Set(rx.seen.map((s) => s.eventId))).toEqual(new Set(ids));
      expect(rx.seen).toHaveLength(ids.length);
    } finally {
      await other.stop();
      await rx.close();
    }
  });
});
