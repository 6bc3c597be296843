import type { Condition, ConditionFacts } from '../../../web/console/src/api/types';
import { day } from '../../../web/console/src/fmt';
import { i18n } from '../../../web/console/src/i18n';
import { conditionText, factText } from '../../../web/console/src/segments/explain-text';

/** The 所在分群 card's words for a consent condition (web/console/src/segments/explain-text.ts, DESIGN §12). */
describe('a consent condition explained in words', () => {
  const none: ConditionFacts = { type: 'consent', granted: 0, withdrawn: 0, lastAt: null };
  const at = '2026-05-30T02:00:00.000Z';
  afterEach(() => i18n.setLocale('zh-CN'));

  it('names the purpose: 营销, a subscription message by its template, a brand purpose as sent', () => {
    const text = (c: Condition) => conditionText(c, none);
    expect(text({ type: 'consent', purpose: 'marketing' })).toBe('已同意「营销」');
    expect(text({ type: 'consent', purpose: 'marketing', granted: true })).toBe('已同意「营销」');
    expect(text({ type: 'consent', purpose: 'marketing', granted: false })).toBe('已撤回「营销」的同意');
    expect(text({ type: 'consent', purpose: 'subscribe_msg:TPL1' })).toBe('已同意「订阅消息 TPL1」');
    expect(text({ type: 'consent', purpose: '会员日短信' })).toBe('已同意「会员日短信」');
    i18n.setLocale('en');
    expect(text({ type: 'consent', purpose: 'marketing', granted: false })).toBe('withdrew consent to "marketing"');
  });

  it('says what the customer gave: granted, withdrawn, both (the withdrawal counts), or nothing', () => {
    expect(factText(none)).toBe('没有同意记录');
    expect(factText({ type: 'consent', granted: 2, withdrawn: 0, lastAt: at })).toBe(`已同意（${day(at)}）`);
    expect(factText({ type: 'consent', granted: 0, withdrawn: 1, lastAt: at })).toBe(`已撤回（${day(at)}）`);
    expect(factText({ type: 'consent', granted: 1, withdrawn: 1, lastAt: at })).toMatch(/以撤回为准/);
    i18n.setLocale('en');
    expect(factText(none)).toBe('no consent on record');
  });
});
