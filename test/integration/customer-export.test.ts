import type { IdentityRef } from '../../connectors/common/identity-types';
import { mergeCustomers } from '../../src/identity/merge.service';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { insertIgnore, select, toDbTime } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

const APP = 'wxexport0000000001';
const CORP = 'wwexport0000000001';
const EVENTS = 1_203;

/**
 * A person's data bundle (DESIGN §12, §13) through the real app on the test database: admin only, everything
 * held about the person in the contract's shape, phones and pii opened for the admin, the whole timeline (more
 * than one internal page), audited.
 */
describe('GET /api/v1/customers/:id/export', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let admin: string;
  let operator: string;
  let customerId: string;
  let mergedId: string;

  const resolve = (identities: IdentityRef[]) =>
    retryingTransaction(db.ds, (em) => t.app.identity.resolve(em, { identities, source: 'export-test' }));

  beforeAll(async () => {
    t = await startTestApp(
      db.ds,
      testConfig(db.url, { accounts: [{ kind: 'official-account', appId: APP, appSecret: 's', token: 't' }] }),
    );
    admin = await t.key('admin', 'Ada Admin');
    operator = await t.key('operator', 'Otto Operator');
    const api = (p: string, method: string, json: unknown) => t.request(`/api/v1${p}`, { method, key: admin, json });

    customerId = (await resolve([{ type: 'oa_openid', scope: APP, value: 'o-export-1' }])).customerId!;
    // A second record of the same person, merged in: its id leads to the same bundle.
    mergedId = (await resolve([{ type: 'wecom_external_userid', scope: CORP, value: 'wm-export-1' }])).customerId!;
    await db.ds.query('UPDATE customers SET phone_enc = ?, display_name = ? WHERE id = ?', [
      t.app.phoneCrypto.encrypt('13800138000'),
      '王芳',
      customerId,
    ]);
    expect(
      (
        await api('/attributes', 'POST', {
          key: 'idcard',
          label: { 'zh-CN': '身份证号', en: 'ID card' },
          type: 'text',
          pii: true,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api('/attributes', 'POST', {
          key: 'children',
          label: { 'zh-CN': '孩子数量', en: 'Children' },
          type: 'number',
        })
      ).status,
    ).toBe(201);
    // The merged record's value for a key the survivor has stays with it: the bundle lists it too.
    expect((await api(`/customers/${mergedId}/attributes`, 'PATCH', { children: 5 })).status).toBe(200);
    expect((await api(`/customers/${customerId}/attributes`, 'PATCH', { children: 2 })).status).toBe(200);
    await retryingTransaction(db.ds, async (em) => {
      const survivor = (await t.app.profiles.resolve(em, customerId))!;
      const merged = (await t.app.profiles.resolve(em, mergedId))!;
      await mergeCustomers(em, survivor, merged, 'test', {}, new Date());
    });
    expect(
      (await api(`/customers/${customerId}/attributes`, 'PATCH', { idcard: '110101199003071234', children: 2 })).status,
    ).toBe(200);
    for (let i = 0; i < 22; i++)
      expect((await api(`/customers/${customerId}/notes`, 'POST', { text: `记录 ${i}` })).status).toBe(201);
    const tag = await api('/tags', 'POST', { name: '高价值' });
    expect((await api(`/customers/${customerId}/tags`, 'POST', { tagIds: [tag.body.id] })).status).toBe(200);

    const now = new Date('2026-03-01T00:00:00Z');
    await insertIgnore(db.ds, 'oa_subscriptions', [
      {
        app_id: APP,
        openid: 'o-export-1',
        customer_id: customerId,
        subscribed: 1,
        remark: '老客',
        created_at: now,
        updated_at: now,
      },
    ]);
    await insertIgnore(db.ds, 'wecom_groups', [
      { corp_id: CORP, chat_id: 'wr-export', name: '老客户福利群', created_at: now, updated_at: now },
    ]);
    await insertIgnore(db.ds, 'wecom_group_members', [
      {
        corp_id: CORP,
        chat_id: 'wr-export',
        userid: 'wm-export-1',
        member_type: 2,
        join_time: now,
        join_scene: 3,
        created_at: now,
        updated_at: now,
      },
    ]);
    await insertIgnore(db.ds, 'transactions', [
      {
        mch_id: '1900000001',
        out_trade_no: 'EXP-1',
        amount_total: 59_900,
        refunded_total: 10_000,
        currency: 'CNY',
        state: 'REFUND',
        customer_id: customerId,
        success_time: now,
        payer_openid: 'o-export-1',
      },
    ]);
    await insertIgnore(db.ds, 'refunds', [
      {
        mch_id: '1900000001',
        out_refund_no: 'EXP-R1',
        out_trade_no: 'EXP-1',
        amount_refund: 10_000,
        refund_status: 'SUCCESS',
        customer_id: customerId,
        success_time: now,
      },
    ]);
    const events = Array.from({ length: EVENTS }, (_, i) => ({
      customer_id: customerId,
      source: 'official-account',
      account: APP,
      type: i % 2 ? 'oa.message.text' : 'track.page_view',
      occurred_at: toDbTime(new Date(now.getTime() - i * 60_000)),
      payload: JSON.stringify({ n: i }),
      dedupe_key: `export-${i}`,
      created_at: toDbTime(now),
    }));
    for (let i = 0; i < events.length; i += 200) await insertIgnore(db.ds, 'events', events.slice(i, i + 200));
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('refuses anyone but an admin (403) and answers 404 for an unknown or malformed id', async () => {
    const refused = await t.request(`/api/v1/customers/${customerId}/export`, { key: operator });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBeDefined();
    expect((await t.request(`/api/v1/customers/${customerId}/export`)).status).toBe(401);
    const unknown = await t.request('/api/v1/customers/00000000-0000-7000-8000-00000000dead/export', { key: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect((await t.request('/api/v1/customers/nope/export', { key: admin })).status).toBe(404);
    expect(await select(db.ds, "SELECT id FROM audit_log WHERE action = 'customer.export'")).toHaveLength(0);
  });

  it('returns the whole bundle in the contract shape, phones and pii opened, every event, audited', async () => {
    const r = await t.request(`/api/v1/customers/${customerId}/export`, { key: admin });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="customer-${customerId}.json"`);
    const b = r.body;
    expect(Object.keys(b)).toEqual([
      'customer',
      'identities',
      'attributes',
      'notes',
      'tags',
      'follows',
      'groups',
      'channels',
      'subscriptions',
      'events',
      'transactions',
      'consents',
      'generatedAt',
    ]);
    expect(b.customer).toMatchObject({ id: customerId, displayName: '王芳', phone: '13800138000', status: 'active' });
    expect(b.identities.map((i: { type: string; value: string }) => `${i.type}:${i.value}`).sort()).toEqual([
      'oa_openid:o-export-1',
      'wecom_external_userid:wm-export-1',
    ]);
    expect(b.attributes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'idcard', value: '110101199003071234', source: 'manual', by: 'Ada Admin' }),
        expect.objectContaining({ key: 'children', value: 2 }),
        expect.objectContaining({ key: 'children', value: 5, mergedCustomerId: mergedId }),
      ]),
    );
    expect(b.attributes).toHaveLength(3);
    expect(b.notes).toHaveLength(22);
    expect(b.notes[0].text).toBe('记录 21');
    expect(b.tags.map((x: { name: string }) => x.name)).toEqual(['高价值']);
    expect(b.subscriptions).toEqual([expect.objectContaining({ appId: APP, openid: 'o-export-1', remark: '老客' })]);
    expect(b.groups).toEqual([
      expect.objectContaining({ corpId: CORP, chatId: 'wr-export', name: '老客户福利群', joinScene: 3, leftAt: null }),
    ]);
    expect(b.follows).toEqual([]);
    expect(b.channels).toEqual([]);
    expect(b.transactions).toEqual([
      expect.objectContaining({
        outTradeNo: 'EXP-1',
        amountTotal: 59_900,
        refundedTotal: 10_000,
        refunds: [expect.objectContaining({ outRefundNo: 'EXP-R1', amountRefund: 10_000 })],
      }),
    ]);
    expect(b.consents).toEqual([]);
    expect(Date.parse(b.generatedAt)).not.toBeNaN();
    // Every event, newest first, none twice, across the internal pages.
    expect(b.events).toHaveLength(EVENTS);
    expect(new Set(b.events.map((e: { id: string }) => e.id)).size).toBe(EVENTS);
    expect(b.events[0]).toMatchObject({ type: 'track.page_view', payload: { n: 0 } });
    expect(b.events[EVENTS - 1].payload).toEqual({ n: EVENTS - 1 });

    const audit = await select<{ actor: string; role: string; target_id: string }>(
      db.ds,
      "SELECT actor, role, target_id FROM audit_log WHERE action = 'customer.export'",
    );
    expect(audit).toEqual([{ actor: 'Ada Admin', role: 'admin', target_id: customerId }]);
  });

  it('follows a merged id to the person it now belongs to', async () => {
    const r = await t.request(`/api/v1/customers/${mergedId}/export`, { key: admin });
    expect(r.status).toBe(200);
    expect(r.body.customer.id).toBe(customerId);
    expect(r.body.events).toHaveLength(EVENTS);
  });
});
