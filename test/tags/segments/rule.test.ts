import { rebuildPurchaseFigures } from '../../../src/storage/customers/purchase-figures.repository';
import { uuidv7 } from '../../../src/storage/ids';
import { insertIgnore, select } from '../../../src/storage/sql';
import { compileRule, ruleSource, type RuleScope } from '../../../src/storage/segments/rule-compiler';
import type { Rule } from '../../../src/tags/segments/rule-types';
import { validateRule } from '../../../src/tags/segments/rule.validator';
import { useTestDatabase } from '../../helpers/describe-db';

describe('segment rule validation', () => {
  it('rejects malformed rules with the path of every problem', () => {
    const v = validateRule({
      all: [
        { type: 'orders' },
        { any: [] },
        { type: 'nope' },
        { type: 'spend', minFen: 10, maxFen: 1 },
        { type: 'events', eventType: 'oa.subscribe' },
        5,
      ],
    });
    expect(v.rule).toBeUndefined();
    expect(v.problems.map((p) => p.path)).toEqual([
      'rule.all[0]',
      'rule.all[1].any',
      'rule.all[2].type',
      'rule.all[3]',
      'rule.all[4].withinDays',
      'rule.all[5]',
    ]);
    expect(v.problems[2]!.message).toMatch(/unknown condition type "nope"/);
    expect(validateRule({ all: [{ type: 'tag', tagId: 'x' }] }).problems[0]!.path).toBe('rule.all[0].tagId');
    expect(validateRule({ all: [{ type: 'channel', channel: 'oa' }], extra: 1 }).problems[0]!.message).toMatch(
      /only key/,
    );
    let deep: unknown = { type: 'channel', channel: 'oa' };
    for (let i = 0; i < 7; i++) deep = { not: deep };
    expect(validateRule(deep).problems[0]!.message).toMatch(/nest at most/);
  });

  it('accepts nested all/any/not and collects referenced tags', () => {
    const v = validateRule({
      all: [
        { type: 'channel', channel: 'wecom' },
        { not: { type: 'tag', tagId: 7 } },
        {
          any: [
            { type: 'orders', min: 2 },
            { type: 'spend', minFen: 100 },
          ],
        },
      ],
    });
    expect(v.problems).toEqual([]);
    expect(v.tagIds).toEqual(['7']);
  });
});

describe('segment rules compiled to SQL', () => {
  const db = useTestDatabase();
  const now = new Date('2026-06-01T00:00:00.000Z');
  const day = 86_400_000;
  const ids = {
    oaBuyer: uuidv7(),
    lapsed: uuidv7(),
    wecomFan: uuidv7(),
    chatty: uuidv7(),
    nobody: uuidv7(),
    gone: uuidv7(),
  };

  beforeAll(async () => {
    const t = new Date(now.getTime() - 400 * day);
    await insertIgnore(
      db.ds,
      'customers',
      Object.entries(ids).map(([name, id]) => ({
        id,
        status: name === 'gone' ? 'merged' : 'active',
        display_name: name,
        created_at: t,
        updated_at: t,
      })),
    );
    await insertIgnore(db.ds, 'identities', [
      {
        customer_id: ids.oaBuyer,
        type: 'oa_openid',
        scope: 'wxA',
        value: 'o1',
        verified: false,
        created_at: t,
        updated_at: t,
      },
      {
        customer_id: ids.lapsed,
        type: 'oa_openid',
        scope: 'wxB',
        value: 'o2',
        verified: false,
        created_at: t,
        updated_at: t,
      },
      {
        customer_id: ids.wecomFan,
        type: 'wecom_external_userid',
        scope: 'ww1',
        value: 'wm1',
        verified: false,
        created_at: t,
        updated_at: t,
      },
      {
        customer_id: ids.gone,
        type: 'oa_openid',
        scope: 'wxA',
        value: 'o9',
        verified: false,
        created_at: t,
        updated_at: t,
      },
    ]);
    await insertIgnore(db.ds, 'oa_subscriptions', [
      { app_id: 'wxA', openid: 'o1', customer_id: ids.oaBuyer, subscribed: true, created_at: t, updated_at: t },
      { app_id: 'wxB', openid: 'o2', customer_id: ids.lapsed, subscribed: false, created_at: t, updated_at: t },
    ]);
    const pay = (customer: string, n: string, fen: number, daysAgo: number, state = 'SUCCESS') => ({
      mch_id: 'm1',
      out_trade_no: n,
      amount_total: fen,
      currency: 'CNY',
      state,
      customer_id: customer,
      success_time: new Date(now.getTime() - daysAgo * day),
      refunded_total: 0,
      created_at: t,
      updated_at: t,
    });
    await insertIgnore(db.ds, 'transactions', [
      pay(ids.oaBuyer, 'a', 5_000, 3),
      pay(ids.oaBuyer, 'b', 20_000, 40),
      { ...pay(ids.oaBuyer, 'c', 1_000, 10, 'REFUND'), refunded_total: 1_000 },
      pay(ids.lapsed, 'd', 99_000, 200),
      { ...pay(ids.wecomFan, 'e', 7, 1, 'NOTPAY'), success_time: null },
    ]);
    // Fixtures write transactions directly; the writers keep the purchase figures, so the fixture recomputes them.
    await rebuildPurchaseFigures(db.ds);
    const ev = (customer: string | null, type: string, daysAgo: number, k: string) => ({
      customer_id: customer,
      source: 'official-account',
      account: 'wxA',
      type,
      occurred_at: new Date(now.getTime() - daysAgo * day),
      dedupe_key: k,
      created_at: t,
    });
    await insertIgnore(db.ds, 'events', [
      ev(ids.chatty, 'oa.message.text', 1, 'e1'),
      ev(ids.chatty, 'oa.message.image', 2, 'e2'),
      ev(ids.chatty, 'oa.message.text', 90, 'e3'),
      ev(ids.oaBuyer, 'oa.subscribe', 5, 'e4'),
      ev(ids.chatty, 'oa_message_x', 1, 'e5'),
      // An event of nobody known yet: it must not turn a grouped `NOT (c.id IN …)` unknown for everyone.
      ev(null, 'oa.message.text', 1, 'e6'),
      ev(null, 'oa.message.text', 2, 'e7'),
    ]);
    await insertIgnore(db.ds, 'wecom_follows', [
      {
        corp_id: 'ww1',
        staff_userid: 'alice',
        external_userid: 'wm1',
        customer_id: ids.wecomFan,
        deleted: false,
        created_at: t,
        updated_at: t,
      },
      {
        corp_id: 'ww1',
        staff_userid: 'bob',
        external_userid: 'wm1',
        customer_id: ids.wecomFan,
        deleted: true,
        created_at: t,
        updated_at: t,
      },
    ]);
    await insertIgnore(db.ds, 'customer_tags', [
      { customer_id: ids.chatty, tag_id: 42, source: 'manual', created_at: t },
    ]);
  });

  const names = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  async function membersBy(rule: Rule, scope: RuleScope): Promise<string[]> {
    const compiled = compileRule(rule, now, scope);
    const { from, params } = ruleSource(compiled);
    const rows = await select(db.ds, `SELECT c.id FROM ${from} WHERE c.status = 'active' AND ${compiled.sql}`, params);
    return rows.map((r) => names[String(r.id)]!).sort();
  }
  /** A preview (the whole table at once) and a run (correlated, window by window) must pick the same customers. */
  async function members(rule: Rule): Promise<string[]> {
    const windowed = await membersBy(rule, 'windowed');
    expect(await membersBy(rule, 'whole')).toEqual(windowed);
    return windowed;
  }

  it.each<[string, Rule, string[]]>([
    ['has an OA identity', { type: 'channel', channel: 'oa' }, ['lapsed', 'oaBuyer']],
    ['has an identity of one appid', { type: 'channel', channel: 'oa', account: 'wxB' }, ['lapsed']],
    ['has a WeCom identity', { type: 'channel', channel: 'wecom' }, ['wecomFan']],
    ['is subscribed', { type: 'subscribed' }, ['oaBuyer']],
    ['bought within 7 days', { type: 'lastPurchase', withinDays: 7 }, ['oaBuyer']],
    ['bought, but not in 90 days', { type: 'lastPurchase', olderThanDays: 90 }, ['lapsed']],
    ['2+ orders (refunded still counts)', { type: 'orders', min: 2 }, ['oaBuyer']],
    ['at most 0 orders', { type: 'orders', max: 0 }, ['chatty', 'nobody', 'wecomFan']],
    ['1+ order within 30 days', { type: 'orders', min: 1, withinDays: 30 }, ['oaBuyer']],
    ['spent ≥ 250 yuan', { type: 'spend', minFen: 25_000 }, ['lapsed', 'oaBuyer']],
    ['spent 100–300 yuan', { type: 'spend', minFen: 10_000, maxFen: 30_000 }, ['oaBuyer']],
    // oaBuyer paid ¥260 and got ¥10 back: spend is net of refunds, as the profile shows it.
    ['spent ≥ 255 yuan, net of refunds', { type: 'spend', minFen: 25_500 }, ['lapsed']],
    ['spent ≥ 255 yuan in a year, net of refunds', { type: 'spend', minFen: 25_500, withinDays: 365 }, ['lapsed']],
    [
      'not bought within 7 days (never bought counts)',
      { not: { type: 'lastPurchase', withinDays: 7 } },
      ['chatty', 'lapsed', 'nobody', 'wecomFan'],
    ],
    [
      '2+ messages (prefix) in 30 days',
      { type: 'events', eventType: 'oa.message.*', withinDays: 30, min: 2 },
      ['chatty'],
    ],
    ['an exact event type in the window', { type: 'events', eventType: 'oa.message.text', withinDays: 30 }, ['chatty']],
    [
      'at most 1 message (no event counts as 0)',
      { type: 'events', eventType: 'oa.message.*', withinDays: 30, max: 1 },
      ['lapsed', 'nobody', 'oaBuyer', 'wecomFan'],
    ],
    [
      '1–2 messages in 30 days',
      { type: 'events', eventType: 'oa.message.*', withinDays: 30, min: 1, max: 2 },
      ['chatty'],
    ],
    [
      'not 2+ messages',
      { not: { type: 'events', eventType: 'oa.message.*', withinDays: 30, min: 2 } },
      ['lapsed', 'nobody', 'oaBuyer', 'wecomFan'],
    ],
    [
      '2+ messages and a tag (the messages drive a preview)',
      {
        all: [
          { type: 'tag', tagId: '42' },
          { type: 'events', eventType: 'oa.message.*', withinDays: 30, min: 2 },
        ],
      },
      ['chatty'],
    ],
    [
      'a message but not two: the first drives, the second is tested per customer',
      {
        all: [
          { type: 'events', eventType: 'oa.message.*', withinDays: 30, min: 1 },
          { not: { type: 'events', eventType: 'oa.message.*', withinDays: 30, min: 2 } },
        ],
      },
      [],
    ],
    [
      'an event inside a nested all',
      {
        all: [
          {
            all: [
              { type: 'channel', channel: 'oa' },
              { type: 'events', eventType: 'oa.subscribe', withinDays: 30 },
            ],
          },
          { not: { type: 'tag', tagId: '42' } },
        ],
      },
      ['oaBuyer'],
    ],
    ['has a tag', { type: 'tag', tagId: '42' }, ['chatty']],
    ['lacks a tag', { type: 'tag', tagId: '42', has: false }, ['lapsed', 'nobody', 'oaBuyer', 'wecomFan']],
    ['followed by a staff member (live relations only)', { type: 'followedBy', staffUserid: 'alice' }, ['wecomFan']],
    ['not followed by a removed relation', { type: 'followedBy', staffUserid: 'bob' }, []],
    [
      'all / any / not',
      {
        all: [
          { type: 'channel', channel: 'oa' },
          { any: [{ type: 'subscribed' }, { not: { type: 'lastPurchase', withinDays: 100 } }] },
        ],
      },
      ['lapsed', 'oaBuyer'],
    ],
  ])('%s', async (_name, rule, expected) => {
    expect(await members(rule)).toEqual(expected);
  });
});
