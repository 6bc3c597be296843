import { DEFAULT_TIMEZONE } from '@shared/format';
import type { DeliveryStatus, WebhookDelivery } from '../api/types';
import { deliveryStatusLabel } from '../labels';
import type { ChartOption } from './echarts';

/** Stacked bottom to top: what went through, then what is still trying, then what gave up, then what waits. */
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['delivered', 'failed', 'dead', 'pending'];
const COLORS: Record<DeliveryStatus, string> = {
  delivered: '#07c160',
  failed: '#e6a23c',
  dead: '#f56c6c',
  pending: '#909399',
};
/** At most a month of bars, so a chart over a long-quiet subscription stays readable. */
const MAX_DAYS = 31;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an instant in the brand's timezone (where the console shows all times). */
export function dayKey(iso: string, timeZone = DEFAULT_TIMEZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );
}

export interface DeliveryDays {
  days: string[];
  counts: Record<DeliveryStatus, number[]>;
}

/**
 * The loaded deliveries per day and status, every day from the oldest one to `today` (quiet days as gaps the eye
 * reads as quiet), the last {@link MAX_DAYS} days at most.
 */
export function deliveriesByDay(
  items: readonly Pick<WebhookDelivery, 'status' | 'createdAt'>[],
  today: string,
  timeZone = DEFAULT_TIMEZONE,
): DeliveryDays {
  const keys = items.map((d) => dayKey(d.createdAt, timeZone));
  const oldest = keys.reduce((a, b) => (b < a ? b : a), today);
  const days: string[] = [];
  // Noon UTC steps whole calendar days without a timezone ever moving the date.
  for (let at = Date.parse(`${today}T12:00:00Z`); days.length < MAX_DAYS; at -= DAY_MS) {
    const d = new Date(at).toISOString().slice(0, 10);
    if (d < oldest) break;
    days.unshift(d);
  }
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, days.map(() => 0)])) as DeliveryDays['counts'];
  items.forEach((d, i) => {
    const at = days.indexOf(keys[i]!);
    const row = counts[d.status];
    if (at >= 0 && row) row[at]! += 1;
  });
  return { days, counts };
}

/** Deliveries per day as bars stacked by status, in the colours of the status tags in the table. */
export function webhookDeliveriesOption(d: DeliveryDays): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 32, bottom: 28 },
    xAxis: { type: 'category', data: d.days.map((day) => day.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: DELIVERY_STATUSES.map((s) => ({
      type: 'bar' as const,
      stack: 'deliveries',
      name: deliveryStatusLabel(s),
      data: d.counts[s],
      itemStyle: { color: COLORS[s] },
      barMaxWidth: 24,
    })),
  };
}
