import type { Overview, RfmBucket, RfmDistribution } from '../api/types';
import { num } from '../fmt';
import { t } from '../i18n';
import { channelLabel, identityLabel, statusLabel } from '../labels';
import type { ChartOption } from './echarts';

/** Chart options for the overview (DESIGN §13 `GET /api/v1/overview`), labels in the viewer's language. */
const COLORS = { new: '#07c160', lost: '#f56c6c', pushed: '#07c160', pending: '#e6a23c', failed: '#f56c6c' };

export function channelsOption(o: Overview): ChartOption {
  const entries = Object.entries(o.customers.byChannel);
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: entries.map(([k]) => channelLabel(k)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: t('overview.customers'),
        data: entries.map(([, n]) => n),
        itemStyle: { color: '#409eff' },
        barMaxWidth: 40,
      },
    ],
  };
}

export function identitiesOption(o: Overview): ChartOption {
  return {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['40%', '68%'],
        center: ['50%', '42%'],
        data: Object.entries(o.identities).map(([k, n]) => ({ name: identityLabel(k), value: n })),
      },
    ],
  };
}

export function dailyOption(o: Overview): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: o.daily.map((d) => d.date.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'line', name: t('overview.new'), data: o.daily.map((d) => d.new), itemStyle: { color: COLORS.new } },
      { type: 'line', name: t('overview.lost'), data: o.daily.map((d) => d.lost), itemStyle: { color: COLORS.lost } },
    ],
  };
}

export function tagHealthOption(o: Overview): ChartOption {
  const rows = o.tags.bindings;
  const names = rows.map((b) => `${b.name} · ${channelLabel(b.channel)}`);
  const series = (['pushed', 'pending', 'failed'] as const).map((k) => ({
    type: 'bar' as const,
    stack: 'push',
    name: t(`overview.${k}`),
    data: rows.map((b) => b[k]),
    itemStyle: { color: COLORS[k] },
    barMaxWidth: 24,
  }));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 120, right: 16, top: 32, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: names },
    series,
  };
}

export function queuesOption(o: Overview): ChartOption {
  const statuses = [...new Set([...Object.keys(o.outbox), ...Object.keys(o.inbox)])];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: statuses.map(statusLabel) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'bar', name: t('nav.outbox'), data: statuses.map((s) => o.outbox[s] ?? 0), barMaxWidth: 32 },
      { type: 'bar', name: t('nav.inbox'), data: statuses.map((s) => o.inbox[s] ?? 0), barMaxWidth: 32 },
    ],
  };
}

/** `0–7 天`, `365 天以上`; spend buckets in yuan from fen (`¥100–500`, `¥10,000 以上`). */
function bucketLabel(b: RfmBucket, unit: 'days' | 'orders' | 'fen'): string {
  const fmt = (n: number) => (unit === 'fen' ? `¥${num(n / 100)}` : num(n));
  const top = b.max === null ? null : unit === 'fen' ? b.max + 1 : b.max;
  const range =
    top === null
      ? t('overview.bucketOver', { min: fmt(b.min) })
      : b.min === top
        ? fmt(b.min)
        : `${fmt(b.min)}–${fmt(top)}`;
  return unit === 'days' ? t('overview.bucketDays', { range }) : range;
}

export function rfmHeatOption(r: RfmDistribution): ChartOption {
  const rKeys = r.recency.map((b) => b.key);
  const fKeys = r.frequency.map((b) => b.key);
  const data = r.heatmap.map((c) => [rKeys.indexOf(c.recency), fKeys.indexOf(c.frequency), c.customers]);
  const max = Math.max(1, ...r.heatmap.map((c) => c.customers));
  return {
    tooltip: { position: 'top' },
    grid: { left: 72, right: 16, top: 16, bottom: 96 },
    xAxis: {
      type: 'category',
      data: r.recency.map((b) => bucketLabel(b, 'days')),
      axisLabel: { interval: 0, fontSize: 10 },
      name: t('overview.recency'),
      nameLocation: 'middle',
      nameGap: 28,
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      data: r.frequency.map((b) => bucketLabel(b, 'orders')),
      name: t('overview.frequency'),
      nameLocation: 'middle',
      nameGap: 48,
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ['#f0f9eb', '#07c160'] },
    },
    series: [{ type: 'heatmap', name: t('overview.customers'), data, label: { show: true } }],
  };
}

export function spendOption(r: RfmDistribution): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: r.spend.map((s) => bucketLabel(s, 'fen')), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: t('overview.customers'),
        data: r.spend.map((s) => s.customers),
        itemStyle: { color: '#e6a23c' },
        barMaxWidth: 40,
      },
    ],
  };
}

/** The RFM answer has the shape the charts read (a gateway without it answers 404 and the card is hidden). */
export function isRfm(v: unknown): v is RfmDistribution {
  const r = v as Partial<RfmDistribution> | null;
  return (
    !!r && Array.isArray(r.recency) && Array.isArray(r.frequency) && Array.isArray(r.heatmap) && Array.isArray(r.spend)
  );
}
