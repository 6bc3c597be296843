import { compileRule, ruleSource } from '../../../src/storage/segments/rule-compiler';
import type { Rule } from '../../../src/storage/segments/rule-types';

describe('compiled rules that test only the customer row', () => {
  const now = new Date('2026-04-01T00:00:00Z');
  const only = (rule: Rule) => compileRule(rule, now, 'whole').onlyCustomerColumns;

  it('are those of lifetime purchase figures: last purchase, and orders and spend without a window', () => {
    const rfm: Rule = {
      all: [
        { type: 'lastPurchase', withinDays: 90 },
        { type: 'orders', min: 7 },
        { not: { type: 'spend', minFen: 70_000 } },
      ],
    };
    expect(only(rfm)).toBe(true);
    expect(compileRule(rfm, now, 'whole').sql).not.toMatch(/SELECT/);
  });

  it('are not those that read other tables: a window, events, tags', () => {
    expect(only({ type: 'spend', minFen: 1, withinDays: 30 })).toBe(false);
    expect(
      only({
        any: [
          { type: 'orders', min: 1 },
          { type: 'events', eventType: 'oa.subscribe', withinDays: 30, min: 1 },
        ],
      }),
    ).toBe(false);
    expect(
      only({
        all: [
          { type: 'lastPurchase', withinDays: 7 },
          { type: 'tag', tagId: '1' },
        ],
      }),
    ).toBe(false);
  });
});

describe('a whole-scope rule driven by its grouped events', () => {
  const now = new Date('2026-04-01T00:00:00Z');
  const messages = { type: 'events', eventType: 'oa.message.*', withinDays: 30, min: 2 } as const;

  it('takes a top-level events condition needing an event as the driving set, with its own parameters', () => {
    const r = compileRule({ all: [{ type: 'tag', tagId: '7' }, { all: [messages] }] }, now, 'whole');
    expect(r.drivingSet?.sql).toMatch(
      /^SELECT e\.customer_id FROM events e .* GROUP BY e\.customer_id HAVING \(?COUNT\(\*\) >= \?\)?$/,
    );
    expect(r.drivingSet?.params).toEqual(['oa.message.%', new Date('2026-03-02T00:00:00Z'), 2]);
    expect(r.sql).not.toMatch(/events/);
    expect(r.params).toEqual(['7']);
    expect(r.onlyCustomerColumns).toBe(false);
    expect(ruleSource(r).params).toEqual(['oa.message.%', new Date('2026-03-02T00:00:00Z'), 2, '7']);
  });

  it('leaves `1 = 1` for the rest of a rule that is that condition alone', () => {
    const r = compileRule(messages, now, 'whole');
    expect(r.sql).toBe('1 = 1');
    expect(ruleSource(r).from).toMatch(/^\(SELECT .*\) d JOIN customers c ON c\.id = d\.customer_id$/);
  });

  it('has none under any or not, for a condition that can match without events, or in a run', () => {
    const none = (rule: Rule, scope: 'whole' | 'windowed' = 'whole') => compileRule(rule, now, scope).drivingSet;
    expect(none({ any: [messages, { type: 'tag', tagId: '7' }] })).toBeUndefined();
    expect(none({ not: messages })).toBeUndefined();
    expect(none({ type: 'events', eventType: 'oa.subscribe', withinDays: 30, max: 1 })).toBeUndefined();
    expect(none(messages, 'windowed')).toBeUndefined();
    expect(ruleSource(compileRule(messages, now, 'windowed')).from).toBe('customers c');
  });
});
