import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { InboxRepository } from '../../src/storage/inbox/inbox.repository';
import { execute } from '../../src/storage/sql';

describe('inbox API', () => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db.ds, testConfig(db.url));
    const repo = new InboxRepository(db.ds);
    const row = (k: string) => ({
      account: 'wx1',
      channel: 'official-account' as const,
      kind: 'oa.message.text',
      dedupeKey: k,
      raw: '<xml/>',
      events: [],
    });
    await repo.insertMany([row('k1'), row('k2'), row('k3')], new Date());
    await execute(
      db.ds,
      "UPDATE inbox SET status = 'failed', attempts = 8, error = 'Error: boom' WHERE dedupe_key IN ('k1', 'k2')",
    );
    await execute(db.ds, "UPDATE inbox SET status = 'done' WHERE dedupe_key = 'k3'");
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('rejects callers without a key, viewers, and bad parameters', async () => {
    expect((await t.request('/api/v1/inbox')).status).toBe(401);
    expect((await t.request('/api/v1/inbox', { key: await t.key('viewer') })).status).toBe(403);
    const op = await t.key('operator', 'op2');
    expect((await t.request('/api/v1/inbox?status=weird', { key: op })).status).toBe(400);
    expect((await t.request('/api/v1/inbox?limit=0', { key: op })).status).toBe(400);
  });

  it('lists failed rows with their error, pages with a cursor, and retries one', async () => {
    const op = await t.key('operator');
    const page1 = await t.request('/api/v1/inbox?status=failed&limit=1', { key: op });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0]).toMatchObject({ dedupeKey: 'k2', status: 'failed', attempts: 8, error: 'Error: boom' });
    const page2 = await t.request(`/api/v1/inbox?status=failed&limit=1&cursor=${page1.body.nextCursor}`, { key: op });
    expect(page2.body.items[0].dedupeKey).toBe('k1');
    expect(page2.body.nextCursor).toBeNull();

    const retry = await t.request(`/api/v1/inbox/${page1.body.items[0].id}/retry`, { method: 'POST', key: op });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ status: 'pending', attempts: 0 });
    const done = (await t.request('/api/v1/inbox?status=done', { key: op })).body.items[0];
    expect((await t.request(`/api/v1/inbox/${done.id}/retry`, { method: 'POST', key: op })).status).toBe(409);
    expect((await t.request('/api/v1/inbox/424242/retry', { method: 'POST', key: op })).status).toBe(404);
    const audit = await t.request('/api/v1/audit?action=inbox.retry', { key: await t.key('admin') });
    expect(audit.body.items[0]).toMatchObject({ actor: 'operator-key', targetId: page1.body.items[0].id });
  });
});
