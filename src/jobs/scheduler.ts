import cron, { type ScheduledTask } from 'node-cron';
import type { Worker } from '../background';
import { tryLease } from '../storage/locks';
import type { Services } from '../services';
import type { Job } from './job';
import { claimJobSlot, finishJobSlot } from '../storage/jobs/job-run.repository';
import { nightlySyncsJob } from './nightly-syncs.job';
import { segmentsJob } from './segments.job';
import { pushTagsJob } from './push-tags.job';
import { oaTagReconcileJob } from './oa-tag-reconcile.job';
import { retentionJob } from './retention.job';
import { transferResultsJob } from './transfer-results.job';

/** Every cron job of the gateway, listed explicitly. */
export const JOBS: Job[] = [
  nightlySyncsJob,
  segmentsJob,
  pushTagsJob,
  oaTagReconcileJob,
  retentionJob,
  transferResultsJob,
];

export type JobOutcome = 'ran' | 'failed' | 'skipped';

const DEFAULT_BUDGET_MS = 3_600_000;
/** The `job:<name>` lease, renewed while the job runs: how long a killed runner keeps others from the next slot. */
const JOB_LEASE_TTL_MS = 30_000;

/** A scheduled time to the second, UTC: the same string on every instance whose timer fires for it. */
export function slotOf(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/**
 * node-cron timers plus database coordination through rows (DESIGN §3, §6: N instances run each job once, also
 * across the nodes of a Galera cluster). A firing takes the `job:<name>` lease (no overlapping runs anywhere)
 * and then claims the (job, slot) row in `job_runs` with one insert that a duplicate key refuses; only the
 * claimer runs. The slot row is what makes a slot run once: an instance whose timer fires after a fast run
 * released the lease would otherwise run the same slot again. Runs get an abort signal at their budget and on stop().
 */
export class JobScheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<{ abort: AbortController; done: Promise<JobOutcome> }>();

  constructor(
    private readonly app: Services,
    private readonly jobs: readonly Job[] = JOBS,
    readonly instance: string = app.instanceId,
  ) {}

  start(): void {
    for (const job of this.jobs) {
      const task = cron.schedule(job.schedule, (ctx) => this.trigger(job.name, ctx.date), {
        name: job.name,
        noOverlap: true,
      });
      this.tasks.push(task);
    }
  }

  /** Runs `name` for the slot of `date` unless another instance (or this one) already has. Never throws. */
  trigger(name: string, date: Date = new Date(this.app.now())): Promise<JobOutcome> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) return Promise.reject(new Error(`no job named ${name}`));
    const abort = new AbortController();
    const entry = { abort, done: this.runOnce(job, slotOf(date), abort) };
    this.running.add(entry);
    return entry.done.finally(() => this.running.delete(entry));
  }

  async stop(): Promise<void> {
    for (const t of this.tasks.splice(0)) await t.destroy();
    const all = [...this.running];
    for (const r of all) r.abort.abort();
    await Promise.all(all.map((r) => r.done));
  }

  private async runOnce(job: Job, slot: string, abort: AbortController): Promise<JobOutcome> {
    const logger = this.app.logger.child({ job: job.name, slot });
    const now = () => new Date(this.app.now());
    try {
      const outcome = await tryLease(
        this.app.ds,
        `job:${job.name}`,
        async (): Promise<JobOutcome> => {
          if (!(await claimJobSlot(this.app.ds, job.name, slot, this.instance, now()))) return 'skipped';
          const budget = setTimeout(() => {
            logger.warn({ budgetMs: job.budgetMs ?? DEFAULT_BUDGET_MS }, 'job over its time budget; asking it to stop');
            abort.abort();
          }, job.budgetMs ?? DEFAULT_BUDGET_MS);
          budget.unref();
          const started = Date.now();
          try {
            await job.run({ app: this.app, signal: abort.signal, logger, slot });
            await finishJobSlot(this.app.ds, job.name, slot, null, now());
            logger.info({ ms: Date.now() - started }, 'job done');
            return 'ran';
          } catch (err) {
            logger.error({ err }, 'job failed');
            await finishJobSlot(
              this.app.ds,
              job.name,
              slot,
              String((err as Error)?.message ?? err).slice(0, 2000),
              now(),
            );
            return 'failed';
          } finally {
            clearTimeout(budget);
          }
        },
        { ttlMs: JOB_LEASE_TTL_MS },
      );
      return outcome.acquired ? outcome.value : 'skipped';
    } catch (err) {
      logger.error({ err }, 'job could not be coordinated');
      return 'failed';
    }
  }
}

/** Background worker (src/background.ts): the scheduler, when `jobs.enabled` is on for this instance. */
export function jobsWorker(app: Services): Worker | undefined {
  if (!app.config.jobs.enabled) return undefined;
  const scheduler = new JobScheduler(app);
  scheduler.start();
  return { name: 'jobs', stop: () => scheduler.stop() };
}
