import type { TimelineItem } from '../../web/console/src/api/types';
import { entryText } from '../../web/console/src/components/timeline-text';
import { i18n as consoleI18n } from '../../web/console/src/i18n';
import { describeEvent, type EventNames } from '../../web/sidebar/src/describe-event';
import type { SidebarEventJson } from '../../web/sidebar/src/sidebar-api';

/** A consent.changed timeline entry (DESIGN §12) in words, on the console's timeline and in the sidebar. */
describe('a change of consent on the timeline', () => {
  afterEach(() => consoleI18n.setLocale('zh-CN'));
  const entry = (payload: Record<string, unknown>) =>
    ({
      id: '1',
      type: 'consent.changed',
      source: 'siyu',
      account: '',
      occurredAt: '2026-12-01T02:00:00.000Z',
      payload,
    }) as unknown as TimelineItem & SidebarEventJson;

  it('says who consented to what, and through which channel and source, on the console', () => {
    const withdrawn = entryText(entry({ purpose: 'marketing', channel: null, granted: false, source: 'console' }));
    expect(withdrawn.title).toBe('撤回了「营销」的同意');
    expect(withdrawn.facts).toEqual(['来源：控制台']);
    const granted = entryText(
      entry({ purpose: 'subscribe_msg:TPL_9', channel: 'mp', granted: true, source: 'wechat' }),
    );
    expect(granted.title).toBe('同意了「订阅消息 TPL_9」');
    expect(granted.facts).toEqual(['渠道：小程序', '来源：微信']);
    consoleI18n.setLocale('en');
    expect(entryText(entry({ purpose: 'marketing', granted: true, source: 'crm' })).title).toBe(
      'Consented to "marketing"',
    );
  });

  it('says the same in a sentence for a sales rep', () => {
    const names: EventNames = { staff: (u) => u, account: (_s, a) => a, addWay: () => null };
    expect(describeEvent(entry({ purpose: 'marketing', granted: false }), names, 'zh-CN')).toBe('撤回了「营销」的同意');
    expect(describeEvent(entry({ purpose: 'subscribe_msg:TPL_9', granted: true }), names, 'zh-CN')).toBe(
      '同意了「订阅消息 TPL_9」',
    );
  });
});
