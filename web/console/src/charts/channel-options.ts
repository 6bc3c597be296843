import type { ChannelStats } from '../api/types';
import { t } from '../i18n';
import type { ChartOption } from './echarts';

const COLORS = { new: '#07c160', returning: '#409eff', lost: '#f56c6c', net: '#303133' };

/** A channel's days: new and returning customers as stacked bars, losses below the axis, net as a line. */
export function channelDailyOption(s: ChannelStats): ChartOption {
  const dates = s.days.map((d) => d.date.slice(5));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: dates },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        stack: 'in',
        name: t('channels.stat.new'),
        data: s.days.map((d) => d.new),
        itemStyle: { color: COLORS.new },
        barMaxWidth: 18,
      },
      {
        type: 'bar',
        stack: 'in',
        name: t('channels.stat.returning'),
        data: s.days.map((d) => d.returning),
        itemStyle: { color: COLORS.returning },
        barMaxWidth: 18,
      },
      {
        type: 'bar',
        name: t('channels.stat.lost'),
        data: s.days.map((d) => -d.lost),
        itemStyle: { color: COLORS.lost },
        barMaxWidth: 18,
      },
      {
        type: 'line',
        name: t('channels.stat.net'),
        data: s.days.map((d) => d.net),
        itemStyle: { color: COLORS.net },
      },
    ],
  };
}

/** 1/7/30-day retention as bars in percent (a day not reached yet has no bar). */
export function channelRetentionOption(s: ChannelStats): ChartOption {
  const keys = ['d1', 'd7', 'd30'] as const;
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? `${v}%` : '—') },
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: keys.map((k) => t(`channels.retention.${k}`)) },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'bar',
        name: t('channels.retention'),
        data: keys.map((k) => (s.retention[k] === null ? null : Math.round(s.retention[k]! * 1000) / 10)),
        itemStyle: { color: COLORS.new },
        barMaxWidth: 40,
      },
    ],
  };
}
