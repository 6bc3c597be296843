import type { IdentityRef } from '../../connectors/common/identity-types';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { execute } from '../../src/storage/sql';

const APP = 'wxapiapp0000000001';
const oa = (v: string): IdentityRef => ({ type: 'oa_openid', scope: APP, value: v });
const union = (v: string): IdentityRef => ({ type: 'unionid', scope: 'default', value: v });

describe('customers lookup, merges and conflicts API', () => {
  let db: TestDatabase;
  let t: TestApp;
  let viewer: string;
  let operator: string;
  let admin: string;
  const resolve = (identities: IdentityRef[], verified = false) =>
    retryingTransaction(db.ds, (em) => t.app.identity.resolve(em, { identities, source: 'api-test', verified }));

  beforeAll(async () => {
    db = await createTestDatabase();
    const account = { kind: 'official-account', appId: APP, appSecret: 's', token: 't' };
    t = await startTestApp(db.ds, testConfig(db.url, { accounts: [account], security: { dataKey: 'a'.repeat(64) } }));
    [viewer, operator, admin] = await Promise.all([t.key('viewer'), t.key('operator'), t.key('admin')]);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('rejects lookups without a key or with bad parameters', async () => {
    expect((await t.request('/api/v1/customers/lookup?type=oa_openid&scope=x&value=y')).status).toBe(401);
    expect((await t.request('/api/v1/customers/lookup?type=email&value=y', { key: viewer })).status).toBe(400);
    expect((await t.request('/api/v1/customers/lookup?type=oa_openid&value=y', { key: viewer })).status).toBe(400);
    expect(
      (await t.request(`/api/v1/customers/lookup?type=oa_openid&scope=${APP}&value=nobody`, { key: viewer })).status,
    ).toBe(404);
    expect((await t.request('/api/v1/customers/not-an-id', { key: viewer })).status).toBe(404);
  });

  it('finds a customer by any identity, phone by its plain number, masked unless admin', async () => {
    const c = (await resolve([oa('o-api-1'), { type: 'phone', scope: 'default', value: '13812345678' }], true))
      .customerId!;
    await execute(
      db.ds,
      "INSERT INTO transactions (mch_id, out_trade_no, amount_total, refunded_total, state, customer_id, success_time) VALUES ('m', 'T-api', 1500, 500, 'REFUND', ?, '2025-01-02 03:04:05.000')",
      [c],
    );
    const byOpenid = await t.request(`/api/v1/customers/lookup?type=oa_openid&scope=${APP}&value=o-api-1`, {
      key: viewer,
    });
    expect(byOpenid.status).toBe(200);
    expect(byOpenid.body).toMatchObject({ id: c, status: 'active', phone: '138****5678' });
    expect(byOpenid.body.identities).toEqual(
      expect.arrayContaining([
        { type: 'phone', scope: 'default', value: '138****5678', scopeName: null },
        { type: 'oa_openid', scope: APP, value: 'o-api-1', scopeName: null },
      ]),
    );
    expect(byOpenid.body.unionidMissing).toEqual([{ type: 'oa_openid', scope: APP }]);
    expect(byOpenid.body.rfm).toMatchObject({
      orders: 1,
      totalSpent: 1000,
      totalRefunded: 500,
      lastPurchaseAt: '2025-01-02T03:04:05.000Z',
    });
    for (const k of ['tags', 'follows', 'subscriptions', 'recentEvents'])
      expect(Array.isArray(byOpenid.body[k])).toBe(true);
    const byPhone = await t.request('/api/v1/customers/lookup?type=phone&value=%2B86%20138%201234%205678', {
      key: admin,
    });
    expect(byPhone.body).toMatchObject({ id: c, phone: '13812345678' });
  });

  it('serves the survivor for a merged id, lists merges, refuses a viewer undo and undoes for an operator', async () => {
    const a = (await resolve([oa('o-api-2')])).customerId!;
    const b = (await resolve([union('u-api-2')])).customerId!;
    const merged = await resolve([oa('o-api-2'), union('u-api-2')]);
    expect(merged.customerId).toBe(b);
    const read = await t.request(`/api/v1/customers/${a}`, { key: viewer });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(b);
    const list = await t.request(`/api/v1/merges?customerId=${b}`, { key: viewer });
    expect(list.body.items[0]).toMatchObject({
      id: merged.merges[0],
      survivorId: b,
      mergedId: a,
      undoneAt: null,
      moved: { identities: 1 },
      evidence: { source: 'api-test', inboxId: null },
    });
    expect((await t.request(`/api/v1/merges/${merged.merges[0]}/undo`, { method: 'POST', key: viewer })).status).toBe(
      403,
    );
    const undo = await t.request(`/api/v1/merges/${merged.merges[0]}/undo`, { method: 'POST', key: operator });
    expect(undo.status).toBe(200);
    expect(undo.body).toMatchObject({ restored: 1, undoneBy: 'operator-key' });
    expect((await t.request(`/api/v1/customers/${a}`, { key: viewer })).body.id).toBe(a);
    const again = await t.request(`/api/v1/merges/${merged.merges[0]}/undo`, { method: 'POST', key: operator });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_UNDONE');
    expect((await t.request('/api/v1/merges/999999/undo', { method: 'POST', key: operator })).status).toBe(404);
  });

  it('lists conflicts with the customer by the name the profile shows', async () => {
    const c = (await resolve([oa('o-api-3'), union('u-api-3a')])).customerId!;
    await resolve([oa('o-api-3'), union('u-api-3b')]);
    const res = await t.request('/api/v1/conflicts?resolved=false', { key: viewer });
    expect(res.status).toBe(200);
    const profile = await t.request(`/api/v1/customers/${c}`, { key: viewer });
    expect(profile.body.name).toEqual(expect.any(String));
    expect(profile.body.name).not.toBe(c);
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'unionid',
          existingValue: 'u-api-3a',
          refusedValue: 'u-api-3b',
          customerId: c,
          customerName: profile.body.name,
          reason: 'second_value',
          resolved: false,
        }),
      ]),
    );
    expect((await t.request('/api/v1/conflicts?resolved=maybe', { key: viewer })).status).toBe(400);
  });
});
