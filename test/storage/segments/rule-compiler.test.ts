import { compileRule } from '../../../src/storage/segments/rule-compiler';
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
