import { parseTrackBatch, TRACK_LIMITS } from '../../src/track/track.schema';

const now = Date.UTC(2025, 5, 1, 12);
const event = (over: Record<string, unknown> = {}) => ({
  id: 'e-1',
  type: 'page_view',
  occurredAt: new Date(now - 1000).toISOString(),
  properties: { path: '/p' },
  ...over,
});
const details = (body: unknown): { path: string; message: string }[] => {
  try {
    parseTrackBatch(body, now);
  } catch (e) {
    expect(e).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
    return (e as { details: { path: string; message: string }[] }).details;
  }
  throw new Error('expected a 422');
};

describe('parseTrackBatch', () => {
  it('refuses a batch over 100 events, an empty one and a body without events', () => {
    const over = details({
      events: Array.from({ length: TRACK_LIMITS.maxEvents + 1 }, (_, i) => event({ id: `e${i}` })),
    });
    expect(over).toEqual([{ path: 'events', message: 'at most 100 events per call' }]);
    expect(details({ events: [] })).toEqual([{ path: 'events', message: 'at least one event' }]);
    expect(details({})[0]!.path).toBe('events');
    expect(details(null)[0]!.path).toBe('(body)');
    expect(details([event()])[0]!.path).toBe('(body)');
  });

  it('names every bad field with its path', () => {
    const d = details({
      events: [
        event({ id: '' }),
        event({ type: '1bad' }),
        event({ occurredAt: 'yesterday' }),
        event({ properties: 'x' }),
        event({ extra: true }),
        { type: 'a', occurredAt: now },
      ],
    });
    expect(d.map((x) => x.path)).toEqual([
      'events.0.id',
      'events.1.type',
      'events.2.occurredAt',
      'events.3.properties',
      'events.4',
      'events.5.id',
    ]);
  });

  it('refuses times in the future or older than 30 days, and oversized or deeply nested properties', () => {
    const d = details({
      events: [
        event({ occurredAt: now + TRACK_LIMITS.maxFutureSkewMs + 1000 }),
        event({ occurredAt: new Date(now - TRACK_LIMITS.maxAgeMs - 1000).toISOString() }),
        event({ properties: { blob: 'x'.repeat(TRACK_LIMITS.maxPropertiesBytes) } }),
        event({ properties: { a: { b: { c: { d: { e: { f: 1 } } } } } } }),
      ],
    });
    expect(d).toEqual([
      { path: 'events.0.occurredAt', message: 'is in the future' },
      { path: 'events.1.occurredAt', message: 'is older than 30 days' },
      { path: 'events.2.properties', message: expect.stringMatching(/bytes of JSON; at most 4096/) },
      { path: 'events.3.properties', message: 'nests deeper than 5 levels' },
    ]);
  });

  it('accepts ISO times with an offset and Unix milliseconds; properties default to {}', () => {
    const events = parseTrackBatch(
      {
        events: [
          event({ occurredAt: '2025-06-01T19:59:00+08:00' }),
          { id: 'e-2', type: 'mp.share:done', occurredAt: now - 5 },
        ],
      },
      now,
    );
    expect(events).toEqual([
      { id: 'e-1', type: 'page_view', occurredAt: new Date('2025-06-01T11:59:00Z'), properties: { path: '/p' } },
      { id: 'e-2', type: 'mp.share:done', occurredAt: new Date(now - 5), properties: {} },
    ]);
  });

  it('refuses properties nested 20,000 deep, or arrays 100,000 deep, with a 422 and no stack overflow', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    let arrays: unknown[] = [];
    for (let i = 0; i < 100_000; i++) arrays = [arrays];
    expect(details({ events: [event({ properties: deep })] })).toEqual([
      { path: 'events.0.properties', message: 'nests deeper than 5 levels' },
    ]);
    expect(details({ events: [event({ properties: { p: arrays } })] })).toEqual([
      { path: 'events.0.properties', message: 'nests deeper than 5 levels' },
    ]);
  });
});
