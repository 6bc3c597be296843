import { insertIgnore } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

/** 01:00 on 2026-03-11 in Asia/Shanghai. */
const NOW = Date.parse('2026-03-10T17:00:00.000Z');
const DAY = 86_400_000;
const at = (iso: string): Date => new Date(iso);
const ago = (ms: number): Date => new Date(NOW - ms);

describe('GET /api/v1/overview', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let viewer: string;

  beforeAll(async () => {
    t = await startTestApp(db.ds, testConfig(db.url));
    t.app.now = () => NOW;
    viewer = await t.key('viewer');
    const ds = db.ds;
    await insertIgnore(
      ds,
      'customers',
      ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((id) => ({ id, status: 'active' })),
    );
    await insertIgnore(ds, 'customers', [{ id: 'm1', status: 'merged', merged_into_id: 'c1' }]);
    // insertIgnore takes its columns from the first row: every row below names the same columns.
    await insertIgnore(ds, 'identities', [
      { customer_id: 'c1', type: 'oa_openid', scope: 'wxoa', value: 'o1' },
      { customer_id: 'c1', type: 'unionid', scope: 'default', value: 'u1' },
      { customer_id: 'c2', type: 'oa_openid', scope: 'wxoa', value: 'o2' },
      { customer_id: 'c3', type: 'oa_openid', scope: 'wxoa', value: 'o3' },
      { customer_id: 'c3', type: 'wecom_external_userid', scope: 'ww', value: 'e3' },
      { customer_id: 'c4', type: 'mp_openid', scope: 'wxmp', value: 'm4' },
      { customer_id: 'c5', type: 'h5_openid', scope: 'wxoa', value: 'h5' },
    ]);
    const event = (customer_id: string | null, type: string, occurred_at: Date, key: string) => ({
      customer_id,
      source: type.startsWith('oa') ? 'official-account' : 'wecom',
      account: 'x',
      type,
      occurred_at,
      dedupe_key: key,
      payload: '{}',
    });
    await insertIgnore(ds, 'events', [
      // The last millisecond of 03-10 and the first of 03-11 in Shanghai.
      event('c1', 'oa.subscribe', at('2026-03-10T15:59:59.999Z'), 'e1'),
      event('c2', 'oa.subscribe', at('2026-03-10T16:00:00.000Z'), 'e2'),
      event('c2', 'oa.unsubscribe', at('2026-03-10T16:30:00.000Z'), 'e3'),
      event('c3', 'oa.subscribe', at('2026-03-09T03:00:00.000Z'), 'e4'),
      event('c5', 'wecom.follow_removed', at('2026-03-10T01:00:00.000Z'), 'e5'),
      // Before the window (03-08 local), unresolved, or another kind of event: not counted.
      event('c4', 'oa.subscribe', at('2026-03-08T15:59:59.999Z'), 'e6'),
      event(null, 'oa.subscribe', at('2026-03-10T02:00:00.000Z'), 'e7'),
      event('c4', 'oa.message.text', at('2026-03-10T02:00:00.000Z'), 'e8'),
    ]);
    await insertIgnore(ds, 'oa_subscriptions', [
      {
        app_id: 'wxoa',
        openid: 'o1',
        customer_id: 'c1',
        subscribed: true,
        subscribe_time: at('2026-03-10T15:59:59.999Z'),
      },
      {
        app_id: 'wxoa',
        openid: 'o2',
        customer_id: 'c2',
        subscribed: false,
        subscribe_time: null,
        unsubscribe_time: at('2026-03-10T16:30:00.000Z'),
      },
    ]);
    // c3 was found by a contacts sync (no timeline): two relations, one added on 03-09 and one deleted at 00:00 on 03-09.
    await insertIgnore(ds, 'wecom_follows', [
      {
        corp_id: 'ww',
        staff_userid: 's1',
        external_userid: 'e3',
        customer_id: 'c3',
        created_time: at('2026-03-09T02:00:00.000Z'),
        deleted: false,
        deleted_at: null,
      },
      {
        corp_id: 'ww',
        staff_userid: 's2',
        external_userid: 'e3',
        customer_id: 'c3',
        created_time: at('2026-03-01T02:00:00.000Z'),
        deleted: true,
        deleted_at: at('2026-03-08T16:00:00.000Z'),
      },
    ]);
    const trade = (
      customer_id: string,
      no: string,
      amount: number,
      success: Date | null,
      state = 'SUCCESS',
      refunded = 0,
    ) => ({
      mch_id: 'mch',
      out_trade_no: no,
      amount_total: amount,
      currency: 'CNY',
      state,
      customer_id,
      success_time: success,
      refunded_total: refunded,
    });
    await insertIgnore(ds, 'transactions', [
      trade('c1', 't1', 5_000, ago(2 * DAY)),
      trade('c4', 't2', 20_000, ago(10 * DAY)),
      trade('c4', 't3', 20_000, ago(20 * DAY), 'REFUND', 20_000),
      trade('c4', 't4', 20_000, ago(40 * DAY)),
      // 7 days and 23:59:59 ago is still "0-7"; exactly 8 days ago is "8-30".
      trade('c5', 't5', 9_999, ago(8 * DAY - 1000)),
      trade('c6', 't6', 1_000_000, ago(8 * DAY)),
      trade('c2', 't7', 3_000, null, 'NOTPAY'),
      trade('m1', 't8', 3_000, ago(DAY)),
    ]);
    await insertIgnore(ds, 'outbox', [
      { channel: 'oa', account: 'wxoa', op_key: 'k1', payload: '{}', status: 'pending' },
      { channel: 'oa', account: 'wxoa', op_key: 'k2', payload: '{}', status: 'pending' },
      { channel: 'oa', account: 'wxoa', op_key: 'k3', payload: '{}', status: 'dead' },
    ]);
    await insertIgnore(ds, 'inbox', [
      { account: 'wxoa', channel: 'official-account', kind: 'event', dedupe_key: 'i1', raw: '', status: 'done' },
      { account: 'wxoa', channel: 'official-account', kind: 'event', dedupe_key: 'i2', raw: '', status: 'failed' },
    ]);
    await insertIgnore(ds, 'sync_runs', [
      {
        account: 'oa1',
        resource: 'followers',
        status: 'done',
        processed: 10,
        total: 10,
        started_at: ago(3 * DAY),
        finished_at: ago(3 * DAY - 1000),
      },
      {
        account: 'oa1',
        resource: 'followers',
        status: 'running',
        processed: 4,
        total: 10,
        started_at: ago(60_000),
        finished_at: null,
      },
      {
        account: 'wc1',
        resource: 'contacts',
        status: 'done',
        processed: 2,
        total: null,
        started_at: ago(DAY),
        finished_at: at('2026-03-09T17:00:00.000Z'),
      },
    ]);
    await insertIgnore(ds, 'tags', [
      { id: 1, name: 'VIP', deleted_at: null },
      { id: 2, name: '购买意向/高', deleted_at: null },
      { id: 3, name: 'Gone', deleted_at: ago(DAY) },
    ]);
    await insertIgnore(ds, 'tag_bindings', [
      { tag_id: 1, channel: 'oa', account: 'wxoa', remote_tag_id: '100', status: 'bound' },
      { tag_id: 2, channel: 'wecom', account: 'ww', remote_tag_id: 'et1', status: 'bound' },
      { tag_id: 3, channel: 'oa', account: 'wxoa', remote_tag_id: '101', status: 'bound' },
    ]);
    await insertIgnore(ds, 'customer_tags', [
      { customer_id: 'c1', tag_id: 1, source: 'manual' },
      { customer_id: 'c2', tag_id: 1, source: 'manual' },
      { customer_id: 'c3', tag_id: 2, source: 'rule' },
    ]);
    await insertIgnore(ds, 'remote_tag_state', [
      {
        channel: 'oa',
        account: 'wxoa',
        subject: 'o1',
        remote_tag_id: '100',
        customer_id: 'c1',
        present: true,
        last_errcode: null,
      },
      {
        channel: 'wecom',
        account: 'ww',
        subject: 's1|e3',
        remote_tag_id: 'et1',
        customer_id: 'c3',
        present: false,
        last_errcode: 40068,
      },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('needs a key and a days value from 1 to 365', async () => {
    expect((await t.request('/api/v1/overview')).status).toBe(401);
    for (const days of ['0', '366', 'abc', '1.5']) {
      const r = await t.request(`/api/v1/overview?days=${days}`, { key: viewer });
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual({ code: 'BAD_REQUEST', message: 'days must be an integer from 1 to 365' });
    }
  });

  it('counts customers, identities, queues, syncs and tag push health', async () => {
    const r = await t.request('/api/v1/overview?days=3', { key: viewer });
    expect(r.status).toBe(200);
    expect(r.body.customers).toEqual({ total: 6, byChannel: { oa: 3, mp: 1, h5: 1, wecom: 1, pay: 5 } });
    expect(r.body.identities).toEqual({
      h5_openid: 1,
      mp_openid: 1,
      oa_openid: 3,
      unionid: 1,
      wecom_external_userid: 1,
    });
    expect(r.body.outbox).toEqual({ pending: 2, in_flight: 0, done: 0, dead: 1 });
    expect(r.body.inbox).toEqual({ pending: 0, processing: 0, done: 1, failed: 1 });
    expect(r.body.syncs).toEqual([
      expect.objectContaining({
        accountId: 'oa1',
        resource: 'followers',
        status: 'running',
        finishedAt: null,
        processed: 4,
      }),
      expect.objectContaining({
        accountId: 'wc1',
        resource: 'contacts',
        status: 'done',
        finishedAt: '2026-03-09T17:00:00.000Z',
      }),
    ]);
    expect(r.body.tags.bindings).toEqual([
      { tagId: '1', name: 'VIP', channel: 'oa', account: 'wxoa', desired: 1, pushed: 1, pending: 0, failed: 0 },
      {
        tagId: '2',
        name: '购买意向/高',
        channel: 'wecom',
        account: 'ww',
        desired: 1,
        pushed: 0,
        pending: 0,
        failed: 1,
      },
    ]);
    expect(r.body.timezone).toBe('Asia/Shanghai');
  });

  it('counts new and lost customers per day in Asia/Shanghai, each customer once a day', async () => {
    const r = await t.request('/api/v1/overview?days=3', { key: viewer });
    expect(r.body.daily).toEqual([
      { date: '2026-03-09', new: 1, lost: 1 },
      { date: '2026-03-10', new: 1, lost: 1 },
      { date: '2026-03-11', new: 1, lost: 1 },
    ]);
    // c3 came through both channels on 03-09: one new customer, one in each channel.
    expect(r.body.dailyBySource).toEqual([
      { date: '2026-03-09', oaSubscribe: 1, oaUnsubscribe: 0, wecomAdd: 1, wecomDelete: 1 },
      { date: '2026-03-10', oaSubscribe: 1, oaUnsubscribe: 0, wecomAdd: 0, wecomDelete: 1 },
      { date: '2026-03-11', oaSubscribe: 1, oaUnsubscribe: 1, wecomAdd: 0, wecomDelete: 0 },
    ]);
    const month = await t.request('/api/v1/overview', { key: viewer });
    expect(month.body.daily).toHaveLength(30);
    expect(month.body.daily[29].date).toBe('2026-03-11');
    expect(month.body.daily[27]).toEqual({ date: '2026-03-09', new: 1, lost: 1 });
    // The c3 relation added on 03-01 counts there; the c4 subscribe at 23:59:59.999 on 03-08 counts on 03-08.
    expect(month.body.daily.find((d: { date: string }) => d.date === '2026-03-01')).toEqual({
      date: '2026-03-01',
      new: 1,
      lost: 0,
    });
    expect(month.body.daily.find((d: { date: string }) => d.date === '2026-03-08')).toEqual({
      date: '2026-03-08',
      new: 1,
      lost: 0,
    });
  });

  it('counts days in the configured time zone', async () => {
    const utc = await startTestApp(db.ds, testConfig(db.url, { server: { timezone: 'UTC' } }));
    try {
      utc.app.now = () => NOW;
      const r = await utc.request('/api/v1/overview?days=2', { key: viewer });
      // In UTC, c1 (15:59:59.999) and c2 (16:00) both subscribed on 03-10; c5's WeCom delete (01:00) too.
      expect(r.body.daily).toEqual([
        { date: '2026-03-09', new: 1, lost: 0 },
        { date: '2026-03-10', new: 2, lost: 2 },
      ]);
    } finally {
      await utc.close();
    }
  });

  it('describes its response in the OpenAPI document', async () => {
    const doc = (await t.request('/api/v1/openapi.json')).body;
    const op = doc.paths['/api/v1/overview'].get;
    expect(op['x-required-role']).toBe('viewer');
    expect(op.parameters).toEqual([expect.objectContaining({ name: 'days', in: 'query' })]);
    expect(op.responses['200'].content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['customers', 'identities', 'daily', 'tags', 'outbox', 'inbox', 'syncs']),
    );
    expect(
      doc.paths['/api/v1/overview/rfm'].get.responses['200'].content['application/json'].schema.properties.heatmap.type,
    ).toBe('array');
  });
});

describe('GET /api/v1/overview/rfm', () => {
  const db = useTestDatabase();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(db.ds, testConfig(db.url));
    t.app.now = () => NOW;
    await insertIgnore(
      db.ds,
      'customers',
      ['c1', 'c4', 'c5', 'c6', 'c7'].map((id) => ({ id, status: 'active' })),
    );
    await insertIgnore(db.ds, 'customers', [{ id: 'm1', status: 'merged', merged_into_id: 'c1' }]);
    const trade = (
      customer_id: string,
      no: string,
      amount: number,
      success: Date | null,
      state = 'SUCCESS',
      refunded = 0,
    ) => ({
      mch_id: 'mch',
      out_trade_no: no,
      amount_total: amount,
      currency: 'CNY',
      state,
      customer_id,
      success_time: success,
      refunded_total: refunded,
    });
    await insertIgnore(db.ds, 'transactions', [
      trade('c1', 't1', 5_000, ago(2 * DAY)),
      trade('c4', 't2', 20_000, ago(10 * DAY)),
      trade('c4', 't3', 20_000, ago(20 * DAY), 'REFUND', 20_000),
      trade('c4', 't4', 20_000, ago(40 * DAY)),
      trade('c5', 't5', 9_999, ago(8 * DAY - 1000)),
      trade('c6', 't6', 1_000_000, ago(8 * DAY)),
      trade('c7', 't7', 3_000, null, 'NOTPAY'),
      trade('m1', 't8', 3_000, ago(DAY)),
      ...Array.from({ length: 11 }, (_, i) => trade('c6', `x${i}`, 0, ago(400 * DAY))),
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('buckets recency × frequency and net spend as the segment rules count purchases', async () => {
    expect((await t.request('/api/v1/overview/rfm')).status).toBe(401);
    const r = await t.request('/api/v1/overview/rfm', { key: await t.key('viewer') });
    expect(r.status).toBe(200);
    expect(r.body.customers).toBe(4);
    expect(r.body.withoutPurchase).toBe(1);
    expect(r.body.recency.map((b: { key: string }) => b.key)).toEqual([
      '0-7',
      '8-30',
      '31-90',
      '91-180',
      '181-365',
      '>365',
    ]);
    expect(r.body.frequency.map((b: { key: string }) => b.key)).toEqual(['1', '2', '3-5', '6-10', '>10']);
    expect(r.body.heatmap).toHaveLength(30);
    const nonZero = r.body.heatmap.filter((c: { customers: number }) => c.customers > 0);
    // c6 has 12 orders, the newest 8 days ago.
    expect(nonZero).toEqual([
      { recency: '0-7', frequency: '1', customers: 2 },
      { recency: '8-30', frequency: '3-5', customers: 1 },
      { recency: '8-30', frequency: '>10', customers: 1 },
    ]);
    expect(r.body.spend.map((b: { key: string; customers: number }) => [b.key, b.customers])).toEqual([
      ['0-9999', 2],
      ['10000-49999', 1],
      ['50000-99999', 0],
      ['100000-499999', 0],
      ['500000-999999', 0],
      ['>=1000000', 1],
    ]);
  });
});
