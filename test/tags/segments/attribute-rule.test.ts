import { rebuildPurchaseFigures } from '../../../src/storage/customers/purchase-figures.repository';
import type { IdentityRef } from '../../../connectors/common/identity-types';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-db';
import { startTestApp, testConfig, type TestApp } from '../../helpers/test-app';
import { retryingTransaction } from '../../../src/storage/conflict-retry';
import { execute } from '../../../src/storage/sql';

const APP = 'wxattrseg000000001';
const oa = (v: string): IdentityRef => ({ type: 'oa_openid', scope: APP, value: v });

/** The `attribute` segment condition (DESIGN §10.4) compiled to SQL, and the customers list's attribute filter. */
describe('attribute segment condition', () => {
  let db: TestDatabase;
  let t: TestApp;
  let operator: string;
  const ids: Record<string, string> = {};
  const api = (path: string, method = 'GET', json?: unknown) =>
    t.request(`/api/v1${path}`, { method, key: operator, ...(json !== undefined ? { json } : {}) });
  const names = () => Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  const preview = async (rule: unknown): Promise<string[]> => {
    const r = await api('/segments/preview', 'POST', { rule });
    expect(r.status).toBe(200);
    const n = names();
    return r.body.sample.map((s: { id: string }) => n[s.id]).sort();
  };
  const listed = async (query: string): Promise<string[]> => {
    const r = await api(`/customers?${query}`);
    expect(r.status).toBe(200);
    const n = names();
    return r.body.items.map((s: { id: string }) => n[s.id]).sort();
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const account = { kind: 'official-account', appId: APP, appSecret: 's', token: 't' };
    t = await startTestApp(db.ds, testConfig(db.url, { accounts: [account] }));
    operator = await t.key('operator');
    for (const d of [
      { key: 'kids', label: { 'zh-CN': '孩子数量', en: 'Children' }, type: 'number' },
      {
        key: 'interests',
        label: { 'zh-CN': '兴趣', en: 'Interests' },
        type: 'multiEnum',
        options: ['户外', '户外烧烤', '阅读'],
      },
      { key: 'city', label: { 'zh-CN': '城市', en: 'City' }, type: 'text' },
      { key: 'since', label: { 'zh-CN': '入会日期', en: 'Member since' }, type: 'date' },
      { key: 'vip', label: { 'zh-CN': '贵宾', en: 'VIP' }, type: 'bool' },
      { key: 'secret', label: { 'zh-CN': '证件', en: 'ID' }, type: 'text', pii: true },
    ])
      expect((await api('/attributes', 'POST', d)).status).toBe(201);
    const people: Record<string, { values: Record<string, unknown>; spentFen?: number }> = {
      hiker: {
        values: { kids: 2, interests: ['户外', '阅读'], city: '上海浦东', since: '2024-03-01', vip: true },
        spentFen: 60000,
      },
      cheapHiker: { values: { kids: 0, interests: ['户外'], city: '北京' }, spentFen: 10000 },
      griller: {
        values: { interests: ['户外烧烤'], since: '2025-01-01', vip: false, secret: 'A123' },
        spentFen: 90000,
      },
      reader: { values: { kids: 3, interests: ['阅读'], city: '上海' } },
      blank: { values: {} },
    };
    let n = 0;
    for (const [name, p] of Object.entries(people)) {
      ids[name] = (
        await retryingTransaction(db.ds, (em) =>
          t.app.identity.resolve(em, { identities: [oa(`o-${name}`)], source: 't' }),
        )
      ).customerId!;
      if (Object.keys(p.values).length)
        expect((await api(`/customers/${ids[name]}/attributes`, 'PATCH', p.values)).status).toBe(200);
      if (p.spentFen)
        await execute(
          db.ds,
          "INSERT INTO transactions (mch_id, out_trade_no, amount_total, refunded_total, state, customer_id, success_time, created_at, updated_at) VALUES ('m1', ?, ?, 0, 'SUCCESS', ?, '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000')",
          [`attr-${n++}`, p.spentFen, ids[name]],
        );
    }
    // Fixtures write transactions directly; the writers keep the purchase figures, so the fixture recomputes them.
    await rebuildPurchaseFigures(db.ds);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('兴趣 contains 户外 and spent ≥ ¥500 previews exactly the right people (an option is matched whole)', async () => {
    const rule = {
      all: [
        { type: 'attribute', key: 'interests', op: 'contains', value: '户外' },
        { type: 'spend', minFen: 50000 },
      ],
    };
    expect(await preview(rule)).toEqual(['hiker']);
    expect(await preview(rule.all[0])).toEqual(['cheapHiker', 'hiker']);
  });

  it.each<[string, unknown, string[]]>([
    ['number eq', { op: 'eq', key: 'kids', value: 2 }, ['hiker']],
    ['number gte', { op: 'gte', key: 'kids', value: 2 }, ['hiker', 'reader']],
    ['number between', { op: 'between', key: 'kids', value: [0, 2] }, ['cheapHiker', 'hiker']],
    ['number neq (has another value)', { op: 'neq', key: 'kids', value: 2 }, ['cheapHiker', 'reader']],
    ['number in', { op: 'in', key: 'kids', value: [0, 3] }, ['cheapHiker', 'reader']],
    ['exists', { op: 'exists', key: 'kids' }, ['cheapHiker', 'hiker', 'reader']],
    [
      'multiEnum in = any of',
      { op: 'in', key: 'interests', value: ['户外烧烤', '阅读'] },
      ['griller', 'hiker', 'reader'],
    ],
    ['text contains', { op: 'contains', key: 'city', value: '上海' }, ['hiker', 'reader']],
    ['text eq', { op: 'eq', key: 'city', value: '上海' }, ['reader']],
    ['date lt', { op: 'lt', key: 'since', value: '2024-12-31' }, ['hiker']],
    ['bool eq false', { op: 'eq', key: 'vip', value: false }, ['griller']],
    ['pii exists', { op: 'exists', key: 'secret' }, ['griller']],
  ])('%s', async (_name, c, expected) => {
    expect(await preview({ type: 'attribute', ...(c as object) })).toEqual(expected);
  });

  it('refuses conditions that do not fit the field with 422 naming the condition', async () => {
    for (const [c, message] of [
      [{ key: 'nope', op: 'exists' }, /not defined/],
      [{ key: 'interests', op: 'eq', value: '户外' }, /use exists, contains, in/],
      [{ key: 'interests', op: 'contains', value: '滑雪' }, /not an option/],
      [{ key: 'kids', op: 'gt', value: 'two' }, /expected a number/],
      [{ key: 'secret', op: 'eq', value: 'A123' }, /pii/],
      [{ key: 'kids', op: 'between', value: 1 }, /between takes \[min, max\]/],
      [{ key: 'kids', op: 'exists', value: 1 }, /exists takes no value/],
    ] as const) {
      const r = await api('/segments/preview', 'POST', {
        rule: {
          all: [
            { type: 'tag', tagId: '1', has: false },
            { type: 'attribute', ...c },
          ],
        },
      });
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(message);
      expect(r.body.error.details.problems[0].path).toMatch(/^rule\.all\[1\]/);
    }
  });

  it('explains a customer with the field label and their value, never a pii value', async () => {
    const tag = await api('/tags', 'POST', { name: '户外爱好者' });
    const seg = await api('/segments', 'POST', {
      name: '户外',
      tagId: tag.body.id,
      rule: {
        any: [
          { type: 'attribute', key: 'interests', op: 'contains', value: '户外' },
          { type: 'attribute', key: 'secret', op: 'exists' },
        ],
      },
    });
    expect(seg.status).toBe(201);
    const r = await api(`/segments/${seg.body.id}/explain?customerId=${ids.griller}`);
    expect(r.status).toBe(200);
    const facts = JSON.stringify(r.body);
    expect(facts).toContain('户外烧烤');
    expect(facts).toContain('兴趣');
    expect(facts).not.toContain('A123');
  });

  it('filters the customers list by a field, and by a value read as the field type', async () => {
    expect(await listed('attribute=kids')).toEqual(['cheapHiker', 'hiker', 'reader']);
    expect(await listed('attribute=kids&attributeValue=3')).toEqual(['reader']);
    expect(await listed(`attribute=interests&attributeValue=${encodeURIComponent('户外')}`)).toEqual([
      'cheapHiker',
      'hiker',
    ]);
    expect(await listed('attribute=vip&attributeValue=true')).toEqual(['hiker']);
    expect(await listed(`attribute=city&attributeValue=${encodeURIComponent('北京')}`)).toEqual(['cheapHiker']);
    expect((await api('/customers?attributeValue=3')).status).toBe(400);
  });
});
