import { fromRule, newCondition, newGroup, toRule, unfinished } from '../../web/console/src/segments/rule-model';

describe('segment builder rule model', () => {
  it('reads a nested rule with all / any / not into groups and writes the same JSON back', () => {
    const rule = {
      all: [
        { type: 'channel', channel: 'oa' },
        {
          any: [
            { type: 'orders', min: 3 },
            { type: 'spend', minFen: 100000, withinDays: 365 },
          ],
        },
        { not: { type: 'tag', tagId: '12', has: true } },
        {
          not: {
            any: [
              { type: 'events', eventType: 'oa.message.*', withinDays: 30, min: 2 },
              { type: 'followedBy', staffUserid: 'zhangsan', corpId: 'ww1' },
            ],
          },
        },
      ],
    };
    const root = fromRule(rule);
    expect(root.op).toBe('all');
    expect(root.items.map((i) => i.kind)).toEqual(['cond', 'group', 'group', 'group']);
    expect(toRule(root)).toEqual(rule);
  });

  it('makes a bare condition a group of one, and a negated group keeps its combinator', () => {
    expect(toRule(fromRule({ type: 'subscribed' }))).toEqual({ all: [{ type: 'subscribed' }] });
    const g = fromRule({ not: { any: [{ type: 'channel', channel: 'mp' }] } });
    expect([g.op, g.not]).toEqual(['any', true]);
  });

  it('drops fields left empty in the form, so the API gets only what was chosen', () => {
    const root = newGroup('all');
    const orders = newCondition('orders');
    orders.fields.max = undefined;
    orders.fields.withinDays = null;
    const staff = newCondition('followedBy');
    root.items.push(orders, staff);
    expect(toRule(root)).toEqual({ all: [{ type: 'orders', min: 1 }, { type: 'followedBy' }] });
  });

  it('edits the customer group conditions: a group picked by chatId and corp, or any group, and a group count', () => {
    const rule = {
      all: [
        { type: 'group', chatId: 'wrOgQhDgAAcwMTB7YmDkbeBsgT_AAAAA', corpId: 'ww1', joinedWithinDays: 7 },
        { type: 'groupCount', min: 2, max: 5 },
      ],
    };
    expect(toRule(fromRule(rule))).toEqual(rule);
    const root = newGroup('all');
    root.items.push(newCondition('group'), newCondition('groupCount'));
    expect(toRule(root)).toEqual({ all: [{ type: 'group' }, { type: 'groupCount', min: 1 }] });
  });

  it('edits a consent condition: marketing granted by default, any purpose kept, withdrawn as granted: false', () => {
    const root = newGroup('all');
    root.items.push(newCondition('consent'));
    expect(toRule(root)).toEqual({ all: [{ type: 'consent', purpose: 'marketing', granted: true }] });
    const rule = {
      any: [
        { type: 'consent', purpose: 'subscribe_msg:TPL1', granted: false },
        { not: { type: 'consent', purpose: 'marketing' } },
      ],
    };
    expect(toRule(fromRule(rule))).toEqual(rule);
  });

  it('counts a consent condition without a purpose (or only blanks) as unfinished', () => {
    const consent = newCondition('consent');
    expect(unfinished(consent)).toBe(0);
    consent.fields.purpose = '  ';
    expect(unfinished(consent)).toBe(1);
    consent.fields.purpose = '';
    expect(unfinished(consent)).toBe(1);
  });

  it('counts the conditions still waiting for their pick, nested groups included', () => {
    const root = newGroup('all');
    root.items.push(newCondition('channel'), newCondition('tag'));
    const inner = newGroup('any');
    inner.items.push(newCondition('followedBy'), newCondition('orders'));
    root.items.push(inner);
    expect(unfinished(root)).toBe(2);
    const tag = root.items[1]!;
    if (tag.kind === 'cond') tag.fields.tagId = '12';
    expect(unfinished(root)).toBe(1);
    expect(unfinished(fromRule({ all: [{ type: 'events', eventType: 'oa.message.*', withinDays: 30 }] }))).toBe(0);
  });

  it('refuses JSON that is not a rule, so the builder never shows half of it', () => {
    expect(() => fromRule({ all: [{ type: 'sms' }] })).toThrow('not a rule');
    expect(() => fromRule('oa')).toThrow('not a rule');
  });
});
