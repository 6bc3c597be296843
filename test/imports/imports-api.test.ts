import { figuresDisagreeing, figuresOf } from '../helpers/purchase-figures';
import type { IdentityRef } from '../../connectors/common/identity-types';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { waitFor } from '../integration/callbacks-harness';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { select } from '../../src/storage/sql';

const APP = 'wximport0000000001';
const oa = (v: string): IdentityRef => ({ type: 'oa_openid', scope: APP, value: v });
const union = (v: string): IdentityRef => ({ type: 'unionid', scope: 'default', value: v });

const CUSTOMERS =
  '\uFEFF会员号,openid,手机,姓名,等级,积分\r\n' +
  'm1,o1,13800000001,张三,金,100\r\n' +
  'm2,o2,,李四,银,50\r\n' +
  'm3,,138-0000-0003,王五,金,7\r\n' +
  'm4,,,,钻石,1\r\n' +
  ',,13800000005,,,\r\n' +
  'm5,o9,,,金,abc\r\n';
const CUSTOMER_MAPPING = {
  会员号: 'identity.external_id',
  openid: `identity.oa_openid:${APP}`,
  手机: 'phone',
  姓名: 'displayName',
  等级: 'attribute.level',
  积分: 'attribute.points',
};

const ORDERS =
  '会员号,单号,金额,时间,退款\n' +
  'm1,A100,10000,2026-01-05 10:00:00,0\n' +
  'm1,A101,5000,2026-02-01T12:00:00+08:00,1000\n' +
  'm2,B200,3000,2026-01-20 09:30,\n' +
  'm2,B201,abc,2026-01-20,0\n';
const ORDER_MAPPING = {
  会员号: 'identity.external_id',
  单号: 'orderNo',
  金额: 'amountFen',
  时间: 'paidAt',
  退款: 'refundedFen',
};

/**
 * A CRM's customers and orders imported next to WeChat's customers (DESIGN §11): the CRM ids attach to the right
 * WeChat customers, the orders change their RFM, bad rows are listed by line, importing again changes nothing; and
 * the events API writes events and orders once per client id.
 */
describe('imports and the events API', () => {
  let db: TestDatabase;
  let t: TestApp;
  let operator: string;
  let viewer: string;
  let ingest: string;
  let customerA: string;
  let customerB: string;
  const api = (path: string, key: string, method = 'GET', json?: unknown) =>
    t.request(`/api/v1${path}`, { method, key, ...(json !== undefined ? { json } : {}) });
  const finished = (id: string) =>
    waitFor(async () => {
      const r = await api(`/imports/${id}`, viewer);
      return r.body.status === 'running' ? undefined : r.body;
    });
  const upload = async (text: string, fields: Record<string, string>, name = 'customers.csv') => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([Buffer.from(text, 'utf8')]), name);
    return t.request('/api/v1/imports', { method: 'POST', key: operator, body: form });
  };
  const counts = async () => {
    const [row] = await select<Record<string, unknown>>(
      db.ds,
      `SELECT (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM identities) AS identities,
              (SELECT COUNT(*) FROM transactions) AS orders, (SELECT COUNT(*) FROM customer_attributes) AS attrs,
              (SELECT COUNT(*) FROM events) AS events`,
    );
    return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const account = { kind: 'official-account', appId: APP, appSecret: 's', token: 't' };
    t = await startTestApp(
      db.ds,
      testConfig(db.url, {
        accounts: [account],
        sources: [
          { id: 'crm', name: '会员CRM' },
          { id: 'shop', name: '商城', verifiedPhone: true },
        ],
      }),
    );
    [operator, viewer, ingest] = await Promise.all([t.key('operator'), t.key('viewer'), t.key('ingest')]);
    for (const d of [
      { key: 'level', label: { 'zh-CN': '等级', en: 'Level' }, type: 'enum', options: ['金', '银'] },
      { key: 'points', label: { 'zh-CN': '积分', en: 'Points' }, type: 'number' },
    ])
      expect((await api('/attributes', operator, 'POST', d)).status).toBe(201);
    const resolve = (identities: IdentityRef[]) =>
      retryingTransaction(db.ds, (em) => t.app.identity.resolve(em, { identities, source: 'oa.subscribe' }));
    customerA = (await resolve([union('u1'), oa('o1')])).customerId!;
    customerB = (await resolve([oa('o2')])).customerId!;
  });
  afterAll(async () => {
    await t.close();
    await t.app.imports.stop();
    await db.drop();
  });

  it('imports a CRM customer CSV onto the WeChat customers, listing the bad rows by line', async () => {
    const started = await upload(CUSTOMERS, {
      kind: 'customers',
      source: 'crm',
      mapping: JSON.stringify(CUSTOMER_MAPPING),
    });
    expect(started.status).toBe(202);
    const done = await finished(started.body.id);
    expect(done).toMatchObject({ kind: 'customers', status: 'done', read: 6, written: 3, failed: 3, percent: 100 });
    const errors = await api(`/imports/${started.body.id}/errors`, viewer);
    expect(errors.body.items.map((e: { line: number; reason: string }) => [e.line, e.reason])).toEqual([
      [5, expect.stringMatching(/^attribute\.level: expected one of/)],
      [6, expect.stringMatching(/not verified/)],
      [7, 'attribute.points: expected a number'],
    ]);

    const a = (await api(`/customers/${customerA}`, operator)).body;
    expect(a.identities).toEqual(
      expect.arrayContaining([{ type: 'external_id', scope: 'crm', value: 'm1', scopeName: '会员CRM' }]),
    );
    expect(a.attributes).toMatchObject({ level: '金', points: 100 });
    expect(a.displayName).toBe('张三');
    // An unverified phone is the customer's phone, never an identity that could merge anyone.
    expect(a.phone).toMatch(/^138\*{4}0001$/);
    expect(a.identities.some((i: { type: string }) => i.type === 'phone')).toBe(false);
    const b = (await api(`/customers/${customerB}`, operator)).body;
    expect(b.identities).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'external_id', value: 'm2' })]),
    );
    const m3 = await api('/customers/lookup?type=external_id&scope=crm&value=m3', operator);
    expect(m3.status).toBe(200);
    expect(m3.body.id).not.toBe(customerA);
  });

  it("imports the CRM's orders into the RFM of the right WeChat customers, and a second import changes nothing", async () => {
    const body = { kind: 'orders', source: 'crm', format: 'csv', data: ORDERS, mapping: ORDER_MAPPING };
    const first = await api('/imports', operator, 'POST', body);
    expect(first.status).toBe(202);
    expect(await finished(first.body.id)).toMatchObject({ status: 'done', read: 4, written: 3, failed: 1 });
    const rfmOf = async (id: string) => (await api(`/customers/${id}`, operator)).body.rfm;
    expect(await rfmOf(customerA)).toMatchObject({ orders: 2, totalSpent: 14000, totalRefunded: 1000 });
    expect(await rfmOf(customerB)).toMatchObject({ orders: 1, totalSpent: 3000 });
    // The figures segments read follow the import, as they follow WeChat Pay.
    expect(await figuresOf(db.ds, customerA)).toMatchObject({ orders: 2, spentFen: 14000 });
    expect(await figuresDisagreeing(db.ds)).toEqual([]);
    // Imported orders count in RFM, not as the WeChat Pay channel.
    expect((await api('/customers?channel=pay', operator)).body.items).toEqual([]);
    expect((await api('/overview', viewer)).body.customers.byChannel.pay).toBe(0);
    const [sourced] = await select<{ n: unknown }>(
      db.ds,
      "SELECT COUNT(*) AS n FROM transactions WHERE source = 'crm'",
    );
    expect(Number(sourced!.n)).toBe(3);

    const before = await counts();
    const again = await api('/imports', operator, 'POST', body);
    expect(await finished(again.body.id)).toMatchObject({ status: 'done', written: 3, failed: 1 });
    const customersAgain = await upload(CUSTOMERS, {
      kind: 'customers',
      source: 'crm',
      mapping: JSON.stringify(CUSTOMER_MAPPING),
    });
    expect(await finished(customersAgain.body.id)).toMatchObject({ status: 'done', written: 3 });
    expect(await counts()).toEqual(before);
    expect(await rfmOf(customerA)).toMatchObject({ orders: 2, totalSpent: 14000 });
  });

  it('refuses an import that cannot start, before writing anything', async () => {
    const bad = async (json: Record<string, unknown>) => (await api('/imports', operator, 'POST', json)).body.error;
    const base = { kind: 'customers', source: 'crm', format: 'csv', data: 'a\n1\n' };
    expect(await bad({ ...base, source: 'erp' })).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: /unknown source "erp"/,
    });
    expect(await bad({ ...base, kind: 'people' })).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await bad({ ...base, mapping: { a: 'identity.oa_openid' } })).toMatchObject({ message: /needs its scope/ });
    expect(await bad({ ...base, mapping: { a: 'attribute.nope' } })).toMatchObject({ message: /not defined/ });
    expect(await bad({ ...base, mapping: { a: 'identity.external_id:erp' } })).toMatchObject({
      message: /"erp" is not a configured source/,
    });
    expect((await api('/imports', viewer, 'POST', base)).status).toBe(403);
    expect((await api('/imports/999999', viewer)).status).toBe(404);
  });

  it('a second CRM id for the same customer is a conflict, not a merge', async () => {
    const r = await api('/imports', operator, 'POST', {
      kind: 'customers',
      source: 'crm',
      format: 'ndjson',
      data: JSON.stringify({ 'identity.external_id': 'm9', [`identity.oa_openid:${APP}`]: 'o1' }) + '\n',
    });
    expect(await finished(r.body.id)).toMatchObject({ status: 'done', written: 1 });
    const a = (await api(`/customers/${customerA}`, operator)).body;
    expect(
      a.identities.filter((i: { type: string }) => i.type === 'external_id').map((i: { value: string }) => i.value),
    ).toEqual(['m1']);
    const conflicts = await select<{ n: unknown }>(db.ds, 'SELECT COUNT(*) AS n FROM identity_conflicts');
    expect(Number(conflicts[0]!.n)).toBeGreaterThan(0);
  });

  it('imports events from NDJSON into the timeline once per client id', async () => {
    const lines = [
      {
        'identity.external_id': 'm2',
        clientId: 'v1',
        type: 'crm.visit',
        occurredAt: '2026-03-03 15:00',
        store: '徐汇店',
      },
      { 'identity.external_id': 'm2', clientId: 'v1', type: 'crm.visit', occurredAt: '2026-03-03 15:00' },
      { 'identity.external_id': 'm2', type: 'crm.visit', occurredAt: '2026-03-03 15:00' },
    ];
    const data = lines.map((l) => JSON.stringify(l)).join('\n');
    const body = { kind: 'events', source: 'crm', format: 'ndjson', data, mapping: { store: 'property.store' } };
    const first = await api('/imports', operator, 'POST', body);
    expect(await finished(first.body.id)).toMatchObject({ status: 'done', read: 3, written: 2, failed: 1 });
    expect((await api(`/imports/${first.body.id}/errors`, viewer)).body.items).toEqual([
      { line: 3, reason: 'clientId: missing', raw: expect.any(String) },
    ]);
    const again = await api('/imports', operator, 'POST', body);
    expect(await finished(again.body.id)).toMatchObject({ status: 'done', written: 2 });
    const events = (await api(`/customers/${customerB}/events`, operator)).body.items;
    expect(events.filter((e: { type: string }) => e.type === 'crm.visit')).toEqual([
      expect.objectContaining({
        source: 'crm',
        occurredAt: '2026-03-03T07:00:00.000Z',
        payload: { clientId: 'v1', properties: { store: '徐汇店' } },
      }),
    ]);
  });

  it('POST /events: per-item results, idempotent by client id, orders into the RFM', async () => {
    const item = (clientId: string, extra: Record<string, unknown> = {}) => ({
      clientId,
      type: 'crm.visit',
      occurredAt: '2026-03-01T10:00:00+08:00',
      identities: [{ type: 'external_id', scope: 'crm', value: 'm1' }],
      properties: { store: '静安店' },
      ...extra,
    });
    const order = { orderNo: 'E300', amountFen: 2000, paidAt: '2026-03-01T10:00:00+08:00' };
    const sent = await api('/events', ingest, 'POST', {
      source: 'crm',
      items: [item('e1'), item('e2', { type: 'crm.order', order }), item('e1'), { clientId: 'e3', type: 'x' }],
    });
    expect(sent.status).toBe(200);
    expect(sent.body.items).toEqual([
      { clientId: 'e1', status: 'created', customerId: customerA },
      { clientId: 'e2', status: 'created', customerId: customerA },
      { clientId: 'e1', status: 'duplicate', customerId: customerA },
      { clientId: 'e3', status: 'invalid', error: expect.stringMatching(/occurredAt/) },
    ]);
    const again = await api('/events', operator, 'POST', {
      source: 'crm',
      items: [item('e2', { type: 'crm.order', order })],
    });
    expect(again.body.items).toEqual([{ clientId: 'e2', status: 'duplicate', customerId: customerA }]);
    const a = (await api(`/customers/${customerA}`, operator)).body;
    expect(a.rfm).toMatchObject({ orders: 3, totalSpent: 16000 });
    expect(await figuresOf(db.ds, customerA)).toMatchObject({ orders: 3, spentFen: 16000 });
    const events = (await api(`/customers/${customerA}/events`, operator)).body.items;
    expect(events.filter((e: { type: string }) => e.type.startsWith('crm.')).length).toBe(2);

    expect((await api('/events', viewer, 'POST', { items: [] })).status).toBe(403);
    expect((await api('/customers', ingest)).status).toBe(403);
    const tooMany = await api('/events', ingest, 'POST', {
      items: Array.from({ length: 501 }, (_, i) => item(`m${i}`)),
    });
    expect(tooMany.status).toBe(413);
    expect((await api('/events', ingest, 'POST', { source: 'erp', items: [] })).status).toBe(422);
  });

  it("a verifiedPhone source's phone links customers like a verified phone", async () => {
    const sent = await api('/events', ingest, 'POST', {
      source: 'shop',
      items: [
        {
          clientId: 's1',
          type: 'shop.login',
          occurredAt: '2026-03-02T10:00:00Z',
          identities: [
            { type: 'external_id', scope: 'shop', value: 'buyer-1' },
            { type: 'phone', value: '13900000001' },
          ],
        },
      ],
    });
    expect(sent.body.items[0]).toMatchObject({ status: 'created' });
    const [phones] = await select<{ n: unknown }>(db.ds, "SELECT COUNT(*) AS n FROM identities WHERE type = 'phone'");
    expect(Number(phones!.n)).toBe(1);
  });
});

/**
 * Accounts bound to a named open platform (as every brand's are, and the demo's): WeChat's unionids are stored
 * under that platform's id, so a CRM's unionid column and an events item's unionid without a scope must take it,
 * or they would make a second customer beside the WeChat one instead of naming it.
 */
describe('imports and the events API: unionids of an open platform', () => {
  const PLATFORM = 'op_import0001';
  let db: TestDatabase;
  let t: TestApp;
  let operator: string;
  let wechatCustomer: string;
  const api = (path: string, key: string, method = 'GET', json?: unknown) =>
    t.request(`/api/v1${path}`, { method, key, ...(json !== undefined ? { json } : {}) });
  const finished = (id: string) =>
    waitFor(async () => {
      const r = await api(`/imports/${id}`, operator);
      return r.body.status === 'running' ? undefined : r.body;
    });
  const customerCount = async () =>
    Number((await select<{ n: unknown }>(db.ds, 'SELECT COUNT(*) AS n FROM customers'))[0]!.n);

  beforeAll(async () => {
    db = await createTestDatabase();
    const accounts = [
      { kind: 'official-account', appId: APP, appSecret: 's', token: 't', openPlatformId: PLATFORM },
      { kind: 'mini-program', appId: 'wximport0000000002', appSecret: 's', openPlatformId: PLATFORM },
    ];
    t = await startTestApp(db.ds, testConfig(db.url, { accounts, sources: [{ id: 'crm', name: 'CRM' }] }));
    operator = await t.key('operator');
    const identities: IdentityRef[] = [
      { type: 'unionid', scope: PLATFORM, value: 'u-wechat' },
      { type: 'oa_openid', scope: APP, value: 'o-wechat' },
    ];
    wechatCustomer = (
      await retryingTransaction(db.ds, (em) => t.app.identity.resolve(em, { identities, source: 'oa.subscribe' }))
    ).customerId!;
  });
  afterAll(async () => {
    await t.close();
    await t.app.imports.stop();
    await db.drop();
  });

  it("puts a CRM's unionid column and its orders on the WeChat customer holding that unionid", async () => {
    const customers = await api('/imports', operator, 'POST', {
      kind: 'customers',
      source: 'crm',
      format: 'csv',
      data: 'crm_id,name,unionid\nC1,赵磊,u-wechat\n',
      mapping: { crm_id: 'identity.external_id', name: 'displayName', unionid: 'identity.unionid' },
    });
    expect(await finished(customers.body.id)).toMatchObject({ status: 'done', written: 1, failed: 0 });
    const orders = await api('/imports', operator, 'POST', {
      kind: 'orders',
      source: 'crm',
      format: 'csv',
      data: 'crm_id,order_no,amount_fen,paid_at\nC1,SO-1,19900,2026-11-20 10:00\n',
      mapping: { crm_id: 'identity.external_id', order_no: 'orderNo', amount_fen: 'amountFen', paid_at: 'paidAt' },
    });
    expect(await finished(orders.body.id)).toMatchObject({ status: 'done', written: 1, failed: 0 });
    expect(await customerCount()).toBe(1);
    const profile = (await api(`/customers/${wechatCustomer}`, operator)).body;
    expect(profile.identities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'unionid', scope: PLATFORM, value: 'u-wechat' }),
        expect.objectContaining({ type: 'external_id', scope: 'crm', value: 'C1' }),
      ]),
    );
    expect(profile.rfm).toMatchObject({ orders: 1, totalSpent: 19900 });
  });

  it('resolves an events item naming a unionid without a scope to the WeChat customer', async () => {
    const sent = await api('/events', operator, 'POST', {
      source: 'crm',
      items: [
        {
          clientId: 'v1',
          type: 'crm.visit',
          occurredAt: '2026-03-01T10:00:00+08:00',
          identities: [{ type: 'unionid', value: 'u-wechat' }],
        },
      ],
    });
    expect(sent.body.items).toEqual([{ clientId: 'v1', status: 'created', customerId: wechatCustomer }]);
    expect(await customerCount()).toBe(1);
  });
});

describe('imports and the events API: accounts on several open platforms', () => {
  let db: TestDatabase;
  let t: TestApp;
  let operator: string;
  const api = (path: string, method = 'GET', json?: unknown) =>
    t.request(`/api/v1${path}`, { method, key: operator, ...(json !== undefined ? { json } : {}) });

  beforeAll(async () => {
    db = await createTestDatabase();
    const accounts = [
      { kind: 'official-account', appId: APP, appSecret: 's', token: 't', openPlatformId: 'op_brand_a' },
      { kind: 'mini-program', appId: 'wximport0000000002', appSecret: 's', openPlatformId: 'op_brand_b' },
    ];
    t = await startTestApp(db.ds, testConfig(db.url, { accounts, sources: [{ id: 'crm', name: 'CRM' }] }));
    operator = await t.key('operator');
  });
  afterAll(async () => {
    await t.close();
    await t.app.imports.stop();
    await db.drop();
  });

  it('asks which platform an unscoped unionid belongs to instead of guessing, and takes a named one', async () => {
    const base = { kind: 'customers', source: 'crm', format: 'csv', data: 'u\nx1\n' };
    const refused = await api('/imports', 'POST', { ...base, mapping: { u: 'identity.unionid' } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/identity\.unionid:<op_brand_a \| op_brand_b>/);
    const named = await api('/imports', 'POST', { ...base, mapping: { u: 'identity.unionid:op_brand_b' } });
    expect(named.status).toBe(202);
    const item = (scope?: string) => ({
      clientId: `c-${scope ?? 'none'}`,
      type: 'crm.visit',
      occurredAt: '2026-03-01T10:00:00+08:00',
      identities: [{ type: 'unionid', value: 'x2', ...(scope ? { scope } : {}) }],
    });
    const sent = await api('/events', 'POST', { source: 'crm', items: [item(), item('op_brand_a')] });
    expect(sent.body.items).toEqual([
      { clientId: 'c-none', status: 'invalid', error: expect.stringMatching(/op_brand_a, op_brand_b/) },
      { clientId: 'c-op_brand_a', status: 'created', customerId: expect.any(String) },
    ]);
  });
});
