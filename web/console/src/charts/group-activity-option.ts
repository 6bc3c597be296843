import type { GroupActivity } from '../api/types';
import { t } from '../i18n';
import type { ChartOption } from './echarts';

/** Members who joined (up) and left (down) a customer group per day (`GET /groups/:id/activity`). */
export function groupActivityOption(a: GroupActivity): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: a.days.map((d) => d.date.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: t('chatGroup.joined'),
        stack: 'members',
        data: a.days.map((d) => d.joined),
        itemStyle: { color: '#07c160' },
        barMaxWidth: 24,
      },
      {
        type: 'bar',
        name: t('chatGroup.left'),
        stack: 'members',
        // Drawn below the axis: a leave takes a member away.
        data: a.days.map((d) => -d.left),
        itemStyle: { color: '#f56c6c' },
        barMaxWidth: 24,
      },
    ],
  };
}
