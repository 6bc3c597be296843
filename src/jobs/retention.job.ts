import type { SiyuConfig } from '../../config';
import { deleteEventsBefore, nextEventType } from '../storage/events/event.repository';
import { purgeInboxBodies } from '../storage/inbox/inbox-retention.repository';
import { dsOf, type Db } from '../storage/sql';
import { retryingTransaction } from '../storage/conflict-retry';
import { purgeAnonymousBatch } from '../storage/privacy/anonymous-purge.repository';
import type { Job } from './job';

const DAY_MS = 86_400_000;
/** Rows per statement: each batch is its own short autocommit, so callbacks and workers never wait long. */
const BATCH = 500;
/** Anonymous visitors per transaction: each touches up to eight tables. */
const ANONYMOUS_BATCH = 100;

export interface RetentionResult {
  inboxBodies: number;
  events: number;
  anonymousVisitors: number;
}

/**
 * DESIGN §12 retention as of `now`: processed inbox rows older than `inboxDays` lose their bodies, timeline events
 * older than `eventsDays` go, visitors never identified and quiet for `anonymousDays` are removed (§11); null
 * keeps. Stops between batches once `signal` aborts (the next run goes on).
 */
export async function applyRetention(
  db: Db,
  retention: SiyuConfig['retention'],
  now: Date,
  opts: { signal?: AbortSignal; batch?: number } = {},
): Promise<RetentionResult> {
  const batch = opts.batch ?? BATCH;
  const out: RetentionResult = { inboxBodies: 0, events: 0, anonymousVisitors: 0 };
  if (retention.inboxDays !== null) {
    const cutoff = new Date(now.getTime() - retention.inboxDays * DAY_MS);
    for (let n = batch; n === batch && !opts.signal?.aborted;) {
      n = await purgeInboxBodies(db, cutoff, now, batch);
      out.inboxBodies += n;
    }
  }
  if (retention.eventsDays !== null) {
    const cutoff = new Date(now.getTime() - retention.eventsDays * DAY_MS);
    for (
      let type = await nextEventType(db, null);
      type !== undefined && !opts.signal?.aborted;
      type = await nextEventType(db, type)
    ) {
      for (let n = batch; n === batch && !opts.signal?.aborted;) {
        n = await deleteEventsBefore(db, type, cutoff, batch);
        out.events += n;
      }
    }
  }
  if (retention.anonymousDays !== null) {
    const cutoff = new Date(now.getTime() - retention.anonymousDays * DAY_MS);
    // One short transaction per batch: a visitor's rows and their customer row go together or not at all.
    for (let n = ANONYMOUS_BATCH; n === ANONYMOUS_BATCH && !opts.signal?.aborted;) {
      n = await retryingTransaction(dsOf(db), (em) => purgeAnonymousBatch(em, cutoff, ANONYMOUS_BATCH));
      out.anonymousVisitors += n;
    }
  }
  return out;
}

/** Nightly (03:30) retention; the scheduler runs it once across instances. */
export const retentionJob: Job = {
  name: 'retention',
  schedule: '30 3 * * *',
  budgetMs: 3_600_000,
  async run({ app, signal, logger }) {
    const result = await applyRetention(app.ds, app.config.retention, new Date(app.now()), { signal });
    logger.info({ ...result }, 'retention applied');
  },
};
