import { WEBHOOK_EVENT_TYPES } from '../../src/webhooks/webhook-event-types';
import { dayKey, deliveriesByDay } from '../../web/console/src/charts/webhook-deliveries-option';
import { en } from '../../web/console/src/i18n/en';
import { zhCN } from '../../web/console/src/i18n/zh-CN';
import {
  WEBHOOK_EVENTS,
  deliveryStatusLabel,
  deliveryStatusTag,
  webhookEventLabel,
} from '../../web/console/src/labels';

describe('console words for outbound webhooks (外发通知)', () => {
  it('offers every event type the gateway accepts, in its order, each named in Chinese and English', () => {
    expect(WEBHOOK_EVENTS).toEqual([...WEBHOOK_EVENT_TYPES]);
    const zh = zhCN as Record<string, string>;
    const english = en as Record<string, string>;
    for (const type of WEBHOOK_EVENTS) {
      expect([type, zh[`webhookEvent.${type}`]]).toEqual([type, expect.stringMatching(/\p{Script=Han}/u)]);
      expect([type, english[`webhookEvent.${type}`]]).toEqual([type, expect.stringMatching(/^[A-Z][a-z]/)]);
    }
    expect(webhookEventLabel('tag.assigned')).toBe('打标签');
    expect(webhookEventLabel('customer.erased')).toBe('客户已删除');
    expect(webhookEventLabel('consent.changed')).toBe('同意情况变更');
    // A type newer than the console is shown as sent, not hidden.
    expect(webhookEventLabel('order.shipped')).toBe('order.shipped');
  });

  it('words and colours each delivery status: delivered green, failed orange, dead red, pending grey', () => {
    expect(['pending', 'delivered', 'failed', 'dead'].map(deliveryStatusLabel)).toEqual([
      '等待投递',
      '已送达',
      '失败，待重试',
      '已放弃',
    ]);
    expect(['delivered', 'failed', 'dead', 'pending'].map(deliveryStatusTag)).toEqual([
      'success',
      'warning',
      'danger',
      'info',
    ]);
  });
});

describe('deliveries per day for the subscription chart', () => {
  const at = (createdAt: string, status: 'pending' | 'delivered' | 'failed' | 'dead') => ({ createdAt, status });

  it('counts by the day in Asia/Shanghai, every day from the oldest delivery to today', () => {
    // 17:00 UTC is already the next day in Shanghai.
    expect(dayKey('2024-05-01T17:00:00Z')).toBe('2024-05-02');
    const d = deliveriesByDay(
      [
        at('2024-05-04T02:00:00Z', 'delivered'),
        at('2024-05-04T01:00:00Z', 'failed'),
        at('2024-05-01T17:00:00Z', 'dead'),
        at('2024-05-01T03:00:00Z', 'delivered'),
      ],
      '2024-05-05',
    );
    expect(d.days).toEqual(['2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04', '2024-05-05']);
    expect(d.counts).toEqual({
      delivered: [1, 0, 0, 1, 0],
      failed: [0, 0, 0, 1, 0],
      dead: [0, 1, 0, 0, 0],
      pending: [0, 0, 0, 0, 0],
    });
  });

  it('shows today alone when nothing was delivered, and a month at most', () => {
    expect(deliveriesByDay([], '2024-05-05')).toEqual({
      days: ['2024-05-05'],
      counts: { delivered: [0], failed: [0], dead: [0], pending: [0] },
    });
    const old = deliveriesByDay(
      [at('2024-01-01T00:00:00Z', 'delivered'), at('2024-05-05T00:00:00Z', 'pending')],
      '2024-05-05',
    );
    expect(old.days).toHaveLength(31);
    expect(old.days[0]).toBe('2024-04-05');
    expect(old.counts.delivered.every((n) => n === 0)).toBe(true);
    expect(old.counts.pending.at(-1)).toBe(1);
  });
});
