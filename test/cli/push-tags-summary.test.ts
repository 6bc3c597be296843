import { formatPushTagsReport } from '../../src/cli/push-tags-summary';

describe('push-tags summary', () => {
  it('says what was sent, what failed for good and what waits, in plain words', () => {
    const text = formatPushTagsReport({
      queued: { oaAdds: 1200, oaRemoves: 1, wecomRelations: 35 },
      pushed: { calls: 31, rowsDone: 40, retries: 2, rowsDead: 3, itemsPushed: 1235, rowsSkipped: 4, deferred: 0 },
      durationMs: 2345,
      outbox: { pending: 2, in_flight: 0, done: 40, dead: 3 },
      nextAttemptAt: '2026-03-10T02:00:05.000Z',
    });
    expect(text).toBe(
      [
        'Sweep queued 1,200 OA taggings, 1 OA untagging and 35 WeCom relations.',
        'Pushed in 2.3 s: 1,235 tag assignments now in WeChat, 31 WeChat calls, 40 outbox rows done (4 already as desired).',
        'Waiting: 2 rows to retry after a temporary failure, 0 rows held back by a rate limit.',
        'Failed for good: 3 rows (see GET /api/v1/outbox?status=dead for the errcodes).',
        'Outbox now: 2 pending, 0 in flight, 40 done, 3 dead; next attempt at 2026-03-10T02:00:05.000Z.',
        '',
      ].join('\n'),
    );
  });
});
