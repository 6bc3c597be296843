import { rebuildPurchaseFigures } from '../../../src/storage/customers/purchase-figures.repository';
import { insertIgnore } from '../../../src/storage/sql';
import type {
  CustomerSegmentsJson,
  ExplainNode,
  SegmentExplanationJson,
} from '../../../src/tags/segments/segments-api.types';
import { useTestDatabase } from '../../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../../helpers/test-app';

const BUYER = '018f0000-0000-7000-8000-000000000001';
const FAN = '018f0000-0000-7000-8000-000000000002';
const NOBODY = '018f0000-0000-7000-8000-0000000000ff';
const AT = '2026-03-01 10:00:00.000';

describe('why a customer is in a segment', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let operator: string;
  let viewer: string;
  let vip: string;
  let spenders: string;
  let notVip: string;

  beforeAll(async () => {
    t = await startTestApp(db.ds, testConfig(db.url));
    t.app.now = () => Date.parse('2026-03-10T02:00:00.000Z');
    operator = await t.key('operator');
    viewer = await t.key('viewer');
    await insertIgnore(
      db.ds,
      'customers',
      [BUYER, FAN].map((id) => ({ id, status: 'active', created_at: AT, updated_at: AT })),
    );
    await insertIgnore(
      db.ds,
      'identities',
      [BUYER, FAN].map((id) => ({
        customer_id: id,
        type: 'oa_openid',
        scope: 'wxoa',
        value: `o-${id}`,
        created_at: AT,
        updated_at: AT,
      })),
    );
    // The buyer: two payments (¥199 + ¥50), a WeCom contact of 杨丹, and the VIP tag of the 客户等级 group.
    await insertIgnore(db.ds, 'transactions', [
      {
        mch_id: 'm1',
        out_trade_no: 'T1',
        amount_total: 19900,
        refunded_total: 0,
        state: 'SUCCESS',
        customer_id: BUYER,
        success_time: '2026-03-05 10:00:00.000',
        created_at: AT,
        updated_at: AT,
      },
      {
        mch_id: 'm1',
        out_trade_no: 'T2',
        amount_total: 5000,
        refunded_total: 0,
        state: 'SUCCESS',
        customer_id: BUYER,
        success_time: '2026-02-01 10:00:00.000',
        created_at: AT,
        updated_at: AT,
      },
    ]);
    // Fixtures write transactions directly; the writers keep the purchase figures, so the fixture recomputes them.
    await rebuildPurchaseFigures(db.ds);
    await insertIgnore(db.ds, 'wecom_staff', [
      { corp_id: 'wwcorp', userid: 'yangdan', name: '杨丹', status: 'active', created_at: AT, updated_at: AT },
    ]);
    await insertIgnore(db.ds, 'wecom_follows', [
      {
        corp_id: 'wwcorp',
        staff_userid: 'yangdan',
        external_userid: 'wm-buyer',
        customer_id: BUYER,
        deleted: 0,
        created_at: AT,
        updated_at: AT,
      },
    ]);
    const group = await t.request('/api/v1/tag-groups', { method: 'POST', key: operator, json: { name: '客户等级' } });
    vip = (
      await t.request('/api/v1/tags', { method: 'POST', key: operator, json: { name: 'VIP', groupId: group.body.id } })
    ).body.id;
    expect(
      (await t.request(`/api/v1/customers/${BUYER}/tags`, { method: 'POST', key: operator, json: { tagIds: [vip] } }))
        .status,
    ).toBe(200);

    const segment = async (name: string, rule: unknown): Promise<string> => {
      const tag = await t.request('/api/v1/tags', { method: 'POST', key: operator, json: { name } });
      const seg = await t.request('/api/v1/segments', {
        method: 'POST',
        key: operator,
        json: { name, tagId: tag.body.id, rule },
      });
      expect(seg.status).toBe(201);
      return seg.body.id;
    };
    spenders = await segment('高消费好友', {
      all: [
        { type: 'channel', channel: 'oa' },
        {
          any: [
            { type: 'orders', min: 3 },
            { type: 'spend', minFen: 20000 },
            { type: 'lastPurchase', withinDays: 3 },
          ],
        },
        { type: 'followedBy', staffUserid: 'yangdan' },
        { type: 'tag', tagId: vip },
      ],
    });
    notVip = await segment('非 VIP', { not: { type: 'tag', tagId: vip } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses callers without a key, unknown segments and customers, and a missing customerId', async () => {
    expect((await t.request(`/api/v1/segments/${spenders}/explain?customerId=${BUYER}`)).status).toBe(401);
    expect((await t.request(`/api/v1/customers/${BUYER}/segments`)).status).toBe(401);
    expect((await t.request(`/api/v1/segments/999999/explain?customerId=${BUYER}`, { key: viewer })).status).toBe(404);
    const missing = await t.request(`/api/v1/segments/${spenders}/explain`, { key: viewer });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('BAD_REQUEST');
    const unknown = await t.request(`/api/v1/segments/${spenders}/explain?customerId=${NOBODY}`, { key: viewer });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect((await t.request(`/api/v1/customers/${NOBODY}/segments`, { key: viewer })).status).toBe(404);
    expect((await t.request('/api/v1/customers/not-an-id/segments', { key: viewer })).status).toBe(404);
  });

  it('shows each condition met or not with the facts it compared', async () => {
    const res = await t.request(`/api/v1/segments/${spenders}/explain?customerId=${BUYER}`, { key: viewer });
    expect(res.status).toBe(200);
    const body = res.body as SegmentExplanationJson;
    expect(body).toMatchObject({
      segmentId: spenders,
      segmentName: '高消费好友',
      customerId: BUYER,
      matches: true,
      member: false,
      evaluatedAt: '2026-03-10T02:00:00.000Z',
    });
    const all = body.rule as Extract<ExplainNode, { op: 'all' | 'any' }>;
    expect(all.op).toBe('all');
    expect(all.met).toBe(true);
    const [channel, any, followed, tag] = all.items;
    expect(channel).toEqual({
      op: 'condition',
      met: true,
      condition: { type: 'channel', channel: 'oa' },
      facts: { type: 'channel', identities: 1 },
    });
    expect(any).toEqual({
      op: 'any',
      met: true,
      items: [
        { op: 'condition', met: false, condition: { type: 'orders', min: 3 }, facts: { type: 'orders', orders: 2 } },
        {
          op: 'condition',
          met: true,
          condition: { type: 'spend', minFen: 20000 },
          facts: { type: 'spend', spentFen: 24900 },
        },
        {
          op: 'condition',
          met: false,
          condition: { type: 'lastPurchase', withinDays: 3 },
          facts: { type: 'lastPurchase', lastPurchaseAt: '2026-03-05T10:00:00.000Z', daysSinceLastPurchase: 4 },
        },
      ],
    });
    expect(followed).toEqual({
      op: 'condition',
      met: true,
      condition: { type: 'followedBy', staffUserid: 'yangdan' },
      facts: { type: 'followedBy', follows: 1, staffName: '杨丹' },
    });
    expect(tag).toEqual({
      op: 'condition',
      met: true,
      condition: { type: 'tag', tagId: vip },
      facts: { type: 'tag', tagName: 'VIP', groupName: '客户等级', sources: ['manual'] },
    });
  });

  it('says why another customer is not in it, and combines not', async () => {
    const fan = (await t.request(`/api/v1/segments/${spenders}/explain?customerId=${FAN}`, { key: viewer }))
      .body as SegmentExplanationJson;
    expect(fan.matches).toBe(false);
    expect(fan.rule.met).toBe(false);
    const facts = (fan.rule as Extract<ExplainNode, { op: 'all' | 'any' }>).items
      .flatMap((n) => (n.op === 'any' ? n.items : [n]))
      .map((n) => n.op === 'condition' && [n.met, n.facts]);
    expect(facts).toEqual([
      [true, { type: 'channel', identities: 1 }],
      [false, { type: 'orders', orders: 0 }],
      [false, { type: 'spend', spentFen: 0 }],
      [false, { type: 'lastPurchase', lastPurchaseAt: null, daysSinceLastPurchase: null }],
      [false, { type: 'followedBy', follows: 0, staffName: '杨丹' }],
      [false, { type: 'tag', tagName: 'VIP', groupName: '客户等级', sources: [] }],
    ]);
    const not = (await t.request(`/api/v1/segments/${notVip}/explain?customerId=${FAN}`, { key: viewer }))
      .body as SegmentExplanationJson;
    expect(not.rule).toEqual({
      op: 'not',
      met: true,
      item: {
        op: 'condition',
        met: false,
        condition: { type: 'tag', tagId: vip },
        facts: { type: 'tag', tagName: 'VIP', groupName: '客户等级', sources: [] },
      },
    });
    expect(not.matches).toBe(true);
  });

  it('lists the segments a customer is in, before and after a run gives them the tag', async () => {
    const before = (await t.request(`/api/v1/customers/${BUYER}/segments`, { key: viewer }))
      .body as CustomerSegmentsJson;
    expect(before).toEqual({
      customerId: BUYER,
      items: [
        expect.objectContaining({
          id: spenders,
          name: '高消费好友',
          tagName: '高消费好友',
          enabled: true,
          matches: true,
          member: false,
        }),
      ],
    });
    expect((await t.request(`/api/v1/segments/${spenders}/run`, { method: 'POST', key: operator })).status).toBe(200);
    const after = (await t.request(`/api/v1/customers/${BUYER}/segments`, { key: viewer }))
      .body as CustomerSegmentsJson;
    expect(after.items).toEqual([expect.objectContaining({ id: spenders, matches: true, member: true })]);
    expect(
      (await t.request(`/api/v1/segments/${spenders}/explain?customerId=${BUYER}`, { key: viewer })).body.member,
    ).toBe(true);
    const fan = (await t.request(`/api/v1/customers/${FAN}/segments`, { key: viewer })).body as CustomerSegmentsJson;
    expect(fan.items.map((s) => s.id)).toEqual([notVip]);
  });

  it('describes both routes in the OpenAPI document', async () => {
    const doc = (await t.request('/api/v1/openapi.json')).body;
    expect(doc.paths['/api/v1/segments/{id}/explain'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'customerId', in: 'query' })]),
    );
    expect(doc.paths['/api/v1/customers/{id}/segments'].get['x-required-role']).toBe('viewer');
  });
});
