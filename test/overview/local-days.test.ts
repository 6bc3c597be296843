import { dayWindow, localDate, startOfLocalDay } from '../../src/overview/local-days';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('local days', () => {
  it('starts a Shanghai day at 16:00 UTC the day before, in one span', () => {
    const w = dayWindow(Date.parse('2026-03-10T17:00:00Z'), 3, 'Asia/Shanghai');
    expect(w.dates).toEqual(['2026-03-09', '2026-03-10', '2026-03-11']);
    expect(iso(w.start)).toBe('2026-03-08T16:00:00.000Z');
    expect(iso(w.end)).toBe('2026-03-11T16:00:00.000Z');
    expect(w.spans).toEqual([{ from: w.start, to: w.end, offsetMinutes: 480 }]);
    expect(localDate(Date.parse('2026-03-10T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-03-10');
    expect(localDate(Date.parse('2026-03-10T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-11');
  });

  it('splits the window where a DST zone changes its offset', () => {
    const w = dayWindow(Date.parse('2026-03-10T12:00:00Z'), 5, 'America/New_York');
    expect(w.dates).toEqual(['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
    expect(w.spans.map((s) => [iso(s.from), iso(s.to), s.offsetMinutes])).toEqual([
      ['2026-03-06T05:00:00.000Z', '2026-03-08T07:00:00.000Z', -300],
      ['2026-03-08T07:00:00.000Z', '2026-03-11T04:00:00.000Z', -240],
    ]);
    expect(iso(startOfLocalDay('2026-03-09', 'America/New_York'))).toBe('2026-03-09T04:00:00.000Z');
  });

  it('covers a year with both transitions', () => {
    const w = dayWindow(Date.parse('2026-12-06T12:00:00Z'), 365, 'America/New_York');
    expect(w.dates).toHaveLength(365);
    expect(w.dates[0]).toBe('2025-12-07');
    expect(w.spans.map((s) => s.offsetMinutes)).toEqual([-300, -240, -300]);
    expect(iso(w.spans[1]!.from)).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(w.spans[2]!.from)).toBe('2026-11-01T06:00:00.000Z');
  });
});
