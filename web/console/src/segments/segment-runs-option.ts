import type { SegmentRun } from '../api/types';
import type { ChartOption } from '../charts/echarts';
import { day } from '../fmt';
import { t } from '../i18n';

/** Segment size over time from its runs (`GET /segments/:id/runs`, newest first), drawn oldest to newest. */
export function runsOption(runs: SegmentRun[]): ChartOption {
  const ordered = [...runs].reverse().filter((r) => r.members !== null);
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: ordered.map((r) => day(r.startedAt)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'line',
        name: t('segment.members'),
        data: ordered.map((r) => r.members),
        itemStyle: { color: '#07c160' },
        areaStyle: { opacity: 0.15 },
      },
    ],
  };
}
