import { summarize, type StepRow } from '../../../bench/pipeline/measure';

describe('pipeline bench measurement', () => {
  const t0 = 1_000_000;

  it('counts a row still pending with its age when measured, and says the percentiles are lower bounds', () => {
    const rows: StepRow[] = [
      { status: 'done', receivedAt: t0, processedAt: t0 + 100 },
      { status: 'pending', receivedAt: t0 + 10, processedAt: null },
    ];
    const s = summarize(rows, { firstSendUnixMs: t0, lastSendUnixMs: t0 + 10 }, t0 + 5_010);
    expect([s.done, s.pending, s.lagP99Ms, s.lagIsLowerBound]).toEqual([1, 1, 5_000, true]);
  });

  it('takes lag as processed − received and processed/s from the first send to the last row done', () => {
    const rows: StepRow[] = Array.from({ length: 100 }, (_, i) => ({
      status: 'done',
      receivedAt: t0 + i * 10,
      processedAt: t0 + i * 10 + (i < 99 ? 20 : 1_000),
    }));
    rows.push({ status: 'failed', receivedAt: t0, processedAt: null });
    const s = summarize(rows, { firstSendUnixMs: t0, lastSendUnixMs: t0 + 990 }, t0 + 10_000);
    expect(s).toMatchObject({
      rows: 101,
      done: 100,
      doneWhileSending: 98,
      pending: 0,
      failed: 1,
      lagP50Ms: 20,
      lagP99Ms: 20,
    });
    expect(s.lagIsLowerBound).toBe(false);
    expect(s.processedPerS).toBeCloseTo(100 / 1.99, 5);
  });
});
