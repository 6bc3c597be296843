import { formatDaysAgo } from '../../web/shared/format';

describe('the pages’ days-ago formatter (web/shared/format.ts)', () => {
  it('says today, yesterday and n days ago in the viewer’s language', () => {
    expect([0, 1, 3].map((d) => formatDaysAgo(d, 'zh-CN'))).toEqual(['今天', '昨天', '3天前']);
    expect([0, 1, 3].map((d) => formatDaysAgo(d, 'en'))).toEqual(['today', 'yesterday', '3 days ago']);
  });

  it('reads a date in the future (a clock ahead of the viewer’s) as today, never a negative number of days', () => {
    expect(formatDaysAgo(-1400, 'zh-CN')).toBe('今天');
    expect(formatDaysAgo(-1, 'en')).toBe('today');
  });

  it('shows a dash when there is no purchase to count from', () => {
    expect(formatDaysAgo(null, 'zh-CN')).toBe('—');
    expect(formatDaysAgo(undefined, 'en')).toBe('—');
  });
});
