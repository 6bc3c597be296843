import { isDue } from '../../../src/tags/segments/segment-schedule';

describe('segment schedule', () => {
  const at = (s: string) => new Date(s);

  it('is due when a slot of the cron expression passed since the last run', () => {
    expect(isDue('*/5 * * * *', at('2026-03-01T10:00:30'), at('2026-01-01T00:00:00'), at('2026-03-01T10:04:59'))).toBe(
      false,
    );
    expect(isDue('*/5 * * * *', at('2026-03-01T10:00:30'), at('2026-01-01T00:00:00'), at('2026-03-01T10:05:00'))).toBe(
      true,
    );
  });

  it('waits for the first slot after creation and catches up a missed slot once', () => {
    expect(isDue('0 3 * * *', null, at('2026-03-01T10:00:00'), at('2026-03-01T11:00:00'))).toBe(false);
    expect(isDue('0 3 * * *', null, at('2026-03-01T10:00:00'), at('2026-03-02T09:00:00'))).toBe(true);
    expect(isDue('0 3 * * *', at('2026-03-02T09:00:00'), at('2026-03-01T10:00:00'), at('2026-03-02T09:30:00'))).toBe(
      false,
    );
  });
});
