import type { Services } from '../services';
import type { Logger } from '../logger';

/** What a job run gets: the app, a signal aborted at its time budget or on shutdown, its scheduled slot. */
export interface JobContext {
  app: Services;
  signal: AbortSignal;
  logger: Logger;
  /** The scheduled time this run belongs to (UTC, to the second), shared by every instance. */
  slot: string;
}

/**
 * One cron job (CONVENTIONS: `src/jobs/<name>.job.ts` exporting `{ name, schedule, run }`); the scheduler adds
 * the once-across-instances guarantee, the time budget and logging.
 */
export interface Job {
  name: string;
  /** node-cron expression (5 fields, or 6 with seconds first). */
  schedule: string;
  /** After this long the run's signal aborts (default 1 hour). */
  budgetMs?: number;
  run(ctx: JobContext): Promise<void>;
}
