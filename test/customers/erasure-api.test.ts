import type { IdentityRef } from '../../connectors/common/identity-types';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { execute, select } from '../../src/storage/sql';

const APP = 'wxerase00000000001';
const oa = (v: string): IdentityRef => ({ type: 'oa_openid', scope: APP, value: v });
const union = (v: string): IdentityRef => ({ type: 'unionid', scope: 'default', value: v });

describe('DELETE /api/v1/customers/:id (erasure)', () => {
  let db: TestDatabase;
  let t: TestApp;
  let admin: string;
  let operator: string;
  const resolve = (identities: IdentityRef[]) =>
    retryingTransaction(db.ds, (em) => t.app.identity.resolve(em, { identities, source: 'erasure-test' }));
  const count = async (sql: string, params: unknown[]) =>
    Number((await select<{ n: number }>(db.ds, sql, params))[0]!.n);

  beforeAll(async () => {
    db = await createTestDatabase();
    const account = { kind: 'official-account', appId: APP, appSecret: 's', token: 't' };
    t = await startTestApp(db.ds, testConfig(db.url, { accounts: [account], security: { dataKey: 'b'.repeat(64) } }));
    [admin, operator] = await Promise.all([t.key('admin'), t.key('operator')]);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('is admin only and 404s unknown ids', async () => {
    const c = (await resolve([oa('o-e-0')])).customerId!;
    expect((await t.request(`/api/v1/customers/${c}`, { method: 'DELETE' })).status).toBe(401);
    expect((await t.request(`/api/v1/customers/${c}`, { method: 'DELETE', key: operator })).status).toBe(403);
    expect(
      (await t.request('/api/v1/customers/00000000-0000-7000-8000-000000000000', { method: 'DELETE', key: admin }))
        .status,
    ).toBe(404);
    expect((await t.request('/api/v1/customers/nope', { method: 'DELETE', key: admin })).status).toBe(404);
  });

  it('erases a merged person through either id, leaves tombstones, and a replay does not re-create them', async () => {
    const a = (await resolve([oa('o-e-1')])).customerId!;
    const b = (await resolve([union('u-e-1')])).customerId!;
    const merged = await resolve([oa('o-e-1'), union('u-e-1')]);
    const survivor = merged.customerId!;
    const gone = survivor === a ? b : a;
    await execute(
      db.ds,
      `INSERT INTO events (customer_id, source, account, type, occurred_at, payload, dedupe_key, created_at) VALUES (?, 'official-account', ?, 'message.received', '2026-01-01 00:00:00.000', '{}', 'erase-test-1', '2026-01-01 00:00:00.000')`,
      [survivor, APP],
    );

    const r = await t.request(`/api/v1/customers/${gone}`, { method: 'DELETE', key: admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ erased: true, customerId: survivor, identities: 2, tombstones: 2, events: 1 });
    expect(r.body.mergedCustomerIds).toEqual([gone]);

    expect(await count('SELECT COUNT(*) AS n FROM identities WHERE customer_id IN (?, ?)', [a, b])).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM events WHERE customer_id = ?', [survivor])).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM erasure_tombstones WHERE customer_id = ?', [survivor])).toBe(2);
    const rows = await select<{ status: string; display_name: string | null }>(
      db.ds,
      'SELECT status, display_name FROM customers WHERE id IN (?, ?)',
      [a, b],
    );
    expect(rows.every((x) => x.status === 'erased' && x.display_name === null)).toBe(true);
    const dump = JSON.stringify(await select(db.ds, 'SELECT * FROM erasure_tombstones'));
    expect(dump).not.toContain('o-e-1');

    expect((await t.request(`/api/v1/customers/${survivor}`, { key: admin })).status).toBe(404);
    expect(
      (await t.request(`/api/v1/customers/lookup?type=oa_openid&scope=${APP}&value=o-e-1`, { key: admin })).status,
    ).toBe(404);
    const replay = await resolve([oa('o-e-1')]);
    expect(replay).toMatchObject({ customerId: null, erased: true });
    expect(await count('SELECT COUNT(*) AS n FROM identities WHERE value = ?', ['o-e-1'])).toBe(0);
    expect((await t.request(`/api/v1/customers/${survivor}`, { method: 'DELETE', key: admin })).status).toBe(404);

    const audit = await t.request('/api/v1/audit?action=customer.erase', { key: admin });
    expect(audit.body.items[0]).toMatchObject({ action: 'customer.erase', targetId: survivor });
  });
});
