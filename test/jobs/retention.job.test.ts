import type { DataSource } from 'typeorm';
import { InboxRepository } from '../../src/storage/inbox/inbox.repository';
import { applyRetention } from '../../src/jobs/retention.job';
import { JobScheduler, JOBS } from '../../src/jobs/scheduler';
import { openDatabase } from '../../src/storage/data-source';
import { execute, select, toDbTime } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { clearTables } from '../helpers/test-db';
import { testConfig } from '../helpers/test-app';
import { testServices } from '../syncs/sync-harness';

const NOW = new Date('2030-06-15T03:30:00.000Z');
const daysAgo = (d: number): Date => new Date(NOW.getTime() - d * 86_400_000);
const KEEP = { inboxDays: null, eventsDays: null, anonymousDays: 90 };

interface InboxState {
  dedupe_key: string;
  raw: string;
  events: string | null;
  status: string;
  body_purged_at: unknown;
}

describe('retention (DESIGN §12)', () => {
  const db = useTestDatabase();
  let other: DataSource;

  beforeAll(async () => {
    // A second pool on the same database stands in for a second gateway instance.
    other = await openDatabase({ url: db.url });
  });
  afterAll(async () => {
    await other.destroy();
  });
  beforeEach(() => clearTables(db.ds));

  /** A callback row as the intake writes it, then moved to `status` as processed `processedDaysAgo` days ago. */
  const callback = async (key: string, status: 'done' | 'failed' | 'pending', processedDaysAgo: number | null) => {
    const events = [
      {
        kind: 'message.received',
        channel: 'official-account',
        account: 'wxret',
        occurredAt: NOW.toISOString(),
        openid: 'oRetained',
        msgType: 'text',
        content: 'private words',
      },
    ];
    await new InboxRepository(db.ds).insertMany(
      [
        {
          account: 'wxret',
          channel: 'official-account',
          kind: 'oa.message.text',
          dedupeKey: key,
          raw: '<xml>oRetained private words</xml>',
          events: events as never,
        },
      ],
      daysAgo(30),
    );
    await execute(db.ds, 'UPDATE inbox SET status = ?, processed_at = ? WHERE dedupe_key = ?', [
      status,
      processedDaysAgo === null ? null : toDbTime(daysAgo(processedDaysAgo)),
      key,
    ]);
  };
  const inbox = async (): Promise<Record<string, InboxState>> =>
    Object.fromEntries(
      (await select<InboxState>(db.ds, 'SELECT dedupe_key, raw, events, status, body_purged_at FROM inbox')).map(
        (r) => [r.dedupe_key, r],
      ),
    );
  const event = (type: string, occurred: Date, key: string) =>
    execute(
      db.ds,
      "INSERT INTO events (customer_id, source, account, type, occurred_at, payload, dedupe_key, created_at) VALUES (NULL, 'official-account', 'wxret', ?, ?, '{}', ?, ?)",
      [type, toDbTime(occurred), key, toDbTime(occurred)],
    );

  it('empties the bodies of rows processed more than inboxDays ago, keeping key and metadata; once', async () => {
    await callback('old-done', 'done', 8);
    await callback('new-done', 'done', 6);
    await callback('old-failed', 'failed', null);
    await callback('pending', 'pending', null);

    expect(await applyRetention(db.ds, { ...KEEP, inboxDays: 7 }, NOW)).toEqual({
      inboxBodies: 1,
      events: 0,
      anonymousVisitors: 0,
    });
    const rows = await inbox();
    expect(rows['old-done']).toMatchObject({ raw: '', events: null, status: 'done' });
    expect(rows['old-done']!.body_purged_at).not.toBeNull();
    for (const kept of ['new-done', 'old-failed', 'pending'])
      expect(rows[kept]).toMatchObject({ raw: '<xml>oRetained private words</xml>', body_purged_at: null });
    expect(await applyRetention(db.ds, { ...KEEP, inboxDays: 7 }, NOW)).toEqual({
      inboxBodies: 0,
      events: 0,
      anonymousVisitors: 0,
    });

    // WeChat retrying the purged callback is still recognised by its dedupe key: no second row, no body back.
    await new InboxRepository(db.ds).insertMany(
      [
        {
          account: 'wxret',
          channel: 'official-account',
          kind: 'oa.message.text',
          dedupeKey: 'old-done',
          raw: '<xml>again</xml>',
          events: [],
        },
      ],
      NOW,
    );
    expect(Object.keys(await inbox()).sort()).toEqual(['new-done', 'old-done', 'old-failed', 'pending']);
    expect((await inbox())['old-done']).toMatchObject({ raw: '', events: null });

    // Two days later the other processed row is due as well.
    expect(await applyRetention(db.ds, { ...KEEP, inboxDays: 7 }, new Date(NOW.getTime() + 2 * 86_400_000))).toEqual({
      inboxBodies: 1,
      events: 0,
      anonymousVisitors: 0,
    });
  });

  it('works through more rows than one batch, and keeps everything when inboxDays is null', async () => {
    for (let i = 0; i < 7; i++) await callback(`batch-${i}`, 'done', 10 + i);
    expect(await applyRetention(db.ds, KEEP, NOW)).toEqual({ inboxBodies: 0, events: 0, anonymousVisitors: 0 });
    expect(await applyRetention(db.ds, { ...KEEP, inboxDays: 7 }, NOW, { batch: 3 })).toEqual({
      inboxBodies: 7,
      events: 0,
      anonymousVisitors: 0,
    });
    expect(Object.values(await inbox()).every((r) => r.raw === '' && r.events === null)).toBe(true);
  });

  it('stops between batches once its signal aborts', async () => {
    for (let i = 0; i < 4; i++) await callback(`abort-${i}`, 'done', 10);
    const abort = new AbortController();
    abort.abort();
    expect(await applyRetention(db.ds, { ...KEEP, inboxDays: 7 }, NOW, { signal: abort.signal, batch: 2 })).toEqual({
      inboxBodies: 0,
      events: 0,
      anonymousVisitors: 0,
    });
  });

  it('deletes timeline events older than eventsDays, of every type, and none when eventsDays is null', async () => {
    await event('oa.subscribe', daysAgo(40), 'e1');
    await event('oa.subscribe', daysAgo(10), 'e2');
    await event('oa.message.text', daysAgo(31), 'e3');
    await event('pay.succeeded', daysAgo(400), 'e4');
    await event('wecom.follow_added', daysAgo(29), 'e5');
    expect(await applyRetention(db.ds, KEEP, NOW)).toEqual({ inboxBodies: 0, events: 0, anonymousVisitors: 0 });
    expect(await applyRetention(db.ds, { ...KEEP, eventsDays: 30 }, NOW, { batch: 1 })).toEqual({
      inboxBodies: 0,
      events: 3,
      anonymousVisitors: 0,
    });
    expect(
      (await select<{ dedupe_key: string }>(db.ds, 'SELECT dedupe_key FROM events ORDER BY dedupe_key')).map(
        (r) => r.dedupe_key,
      ),
    ).toEqual(['e2', 'e5']);
  });

  it('is a nightly job the scheduler runs once across instances, on the app clock and config', async () => {
    const job = JOBS.find((j) => j.name === 'retention');
    expect(job?.schedule).toBe('30 3 * * *');
    await callback('job-old', 'done', 9);
    await event('oa.subscribe', daysAgo(100), 'job-e');
    const config = testConfig(db.url, { retention: { inboxDays: 7, eventsDays: 90 } });
    const at = (ds: DataSource) => Object.assign(testServices(ds, config), { now: () => NOW.getTime() });
    const [a, b] = [new JobScheduler(at(db.ds), JOBS, 'instance-a'), new JobScheduler(at(other), JOBS, 'instance-b')];
    const outcomes = await Promise.all([a.trigger('retention', NOW), b.trigger('retention', NOW)]);
    expect(outcomes.sort()).toEqual(['ran', 'skipped']);
    expect((await inbox())['job-old']).toMatchObject({ raw: '', events: null });
    expect(await select(db.ds, 'SELECT id FROM events')).toEqual([]);
  });
});
