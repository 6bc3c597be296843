import { newInstanceId } from '../instance-id';
import type { DataSource } from '../storage';
import { findAccountById, type Account, type SiyuConfig } from '../../config';
import type { Logger } from '../logger';
import { tryLease } from '../storage/locks';
import { isLockConflict } from '../storage/conflict-retry';
import { progressOf } from './sync-progress';
import type { SyncProgress } from './syncs-api.types';
import { SyncError } from './sync-errors';
import { SyncRunRepository, type SyncRunRecord } from '../storage/syncs/sync-run.repository';
import {
  SyncAborted,
  SyncTakenOver,
  isSyncResource,
  type SyncCounts,
  type SyncResource,
  type SyncTask,
} from './sync-types';

/** Times one run resumes from its checkpoint after lock conflicts before it is marked failed. */
const CONFLICT_RESUMES = 3;

/** Which resources an account kind has, and the task that pulls one. */
export type SyncTaskFactory = (account: Account, resource: SyncResource) => SyncTask | undefined;

export interface SyncServiceDeps {
  ds: DataSource;
  config: SiyuConfig;
  logger: Logger;
  now: () => number;
  tasks: SyncTaskFactory;
  /** Identifies this process in `sync_runs.locked_by`. */
  instance?: string;
  /** An unfinished run last seen longer ago than this starts over instead of resuming (default 7 days). */
  resumeWindowMs?: number;
}

export interface StartOptions {
  triggeredBy?: string;
  /** Called after every saved page (the CLI progress bar). */
  onProgress?: (p: SyncProgress) => void;
}

export interface StartedSync {
  run: SyncProgress;
  /** Settles when the run ends (done, failed or paused by stop()); never rejects. */
  done: Promise<SyncProgress>;
}

/** The sync lease's length: renewed every third of it while the run goes on. */
const SYNC_LEASE_TTL_MS = 20_000;

/**
 * Starts and resumes full syncs (DESIGN §6). One run per (account, resource) across instances: the run holds
 * the `sync:<account>:<resource>` lease (a row, renewed while it runs; DESIGN §3) from start to end, so a
 * second start anywhere gets SYNC_RUNNING. A process killed mid-run frees the pair once its lease runs out. A start resumes the pair's newest run from its checkpoint when that run did not finish (left
 * `running` by a killed process, `paused` by a graceful stop, or `failed`) and was seen within the resume
 * window; otherwise it begins a new run.
 */
export class SyncService {
  readonly instance: string;
  private readonly runs: SyncRunRepository;
  private readonly active = new Map<string, { abort: AbortController; done: Promise<SyncProgress> }>();

  constructor(private readonly deps: SyncServiceDeps) {
    this.instance = deps.instance ?? newInstanceId();
    this.runs = new SyncRunRepository(deps.ds);
  }

  /** The account and task for a start request, or the typed refusal (unknown account 404, wrong kind 422). */
  target(accountId: string, resource: string): { account: Account; task: SyncTask; resource: SyncResource } {
    const account = findAccountById(this.deps.config, accountId);
    if (!account) throw new SyncError('ACCOUNT_NOT_FOUND', `no account ${accountId} is configured`);
    const task = isSyncResource(resource) ? this.deps.tasks(account, resource) : undefined;
    if (!task || !isSyncResource(resource))
      throw new SyncError(
        'RESOURCE_NOT_SUPPORTED',
        `resource '${resource}' does not apply to ${account.kind} account ${accountId}`,
      );
    return { account, task, resource };
  }

  async start(accountId: string, resource: string, opts: StartOptions = {}): Promise<StartedSync> {
    const t = this.target(accountId, resource);
    const key = `${t.account.id}:${t.resource}`;
    let announce!: (run: SyncProgress) => void;
    let refuse!: (err: unknown) => void;
    const started = new Promise<SyncProgress>((resolve, reject) => ((announce = resolve), (refuse = reject)));
    const abort = new AbortController();
    const locked = tryLease(
      this.deps.ds,
      `sync:${key}`,
      async () => {
        const runId = await this.prepare(t.account, t.resource, opts.triggeredBy ?? null).catch((err: unknown) => {
          refuse(err);
          throw err;
        });
        announce(await this.view(runId));
        return this.execute(runId, t.account, t.task, abort.signal, opts);
      },
      { ttlMs: SYNC_LEASE_TTL_MS },
    );
    const done = locked.then(
      (result) => {
        if (result.acquired) return result.value;
        refuse(new SyncError('SYNC_RUNNING', `a ${t.resource} sync of ${t.account.id} is already running`));
        return undefined;
      },
      (err: unknown) => {
        refuse(err);
        return undefined;
      },
    );
    const run = await started;
    // Never rejects, even when the database is gone by the end: API starts do not wait for it.
    const settled = done
      .then((p) => p ?? this.view(run.id))
      .catch((err: unknown): SyncProgress => {
        this.deps.logger.error({ err, syncId: run.id }, 'sync outcome could not be read');
        return { ...run, status: 'failed', error: errorText(err) };
      })
      .finally(() => this.active.delete(run.id));
    this.active.set(run.id, { abort, done: settled });
    return { run, done: settled };
  }

  async get(id: string): Promise<SyncProgress> {
    if (!/^\d{1,20}$/.test(id)) throw new SyncError('SYNC_NOT_FOUND', `sync ${id} not found`);
    const r = await this.runs.get(id);
    if (!r) throw new SyncError('SYNC_NOT_FOUND', `sync ${id} not found`);
    return progressOf(r, new Date(this.deps.now()));
  }

  async list(f: { account?: string; resource?: string; limit: number; before?: string }): Promise<SyncProgress[]> {
    const now = new Date(this.deps.now());
    return (await this.runs.list(f)).map((r) => progressOf(r, now));
  }

  /** Graceful stop: running syncs finish the writes in flight and are left `paused` at their last checkpoint (resumable). */
  async stop(): Promise<void> {
    const all = [...this.active.values()];
    for (const a of all) a.abort.abort();
    await Promise.all(all.map((a) => a.done));
  }

  private async view(id: string): Promise<SyncProgress> {
    return this.get(id);
  }

  private async prepare(account: Account, resource: SyncResource, triggeredBy: string | null): Promise<string> {
    const now = new Date(this.deps.now());
    const unfinished = await this.runs.findUnfinished(account.id, resource);
    const lastSeen = unfinished ? (unfinished.heartbeatAt ?? unfinished.startedAt).getTime() : 0;
    if (unfinished && now.getTime() - lastSeen > (this.deps.resumeWindowMs ?? 7 * 86_400_000)) {
      await this.runs.abandon(unfinished.id, now);
    } else if (unfinished) {
      await this.runs.claim(unfinished.id, this.instance, now);
      this.deps.logger.info(
        { syncId: unfinished.id, account: account.id, resource, checkpoint: unfinished.checkpoint !== null },
        'resuming sync',
      );
      return unfinished.id;
    }
    return this.runs.create({ account: account.id, resource, triggeredBy, instance: this.instance, now });
  }

  private async execute(
    runId: string,
    account: Account,
    task: SyncTask,
    signal: AbortSignal,
    opts: StartOptions,
  ): Promise<SyncProgress> {
    const resource = (await this.runs.get(runId))!.resource;
    const logger = this.deps.logger.child({ syncId: runId, account: account.id, resource });
    const now = () => new Date(this.deps.now());
    const report = async () => opts.onProgress?.(await this.view(runId));
    for (let resumes = 0; ; resumes++) {
      try {
        const counts = await this.runTask(runId, account, task, { signal, logger, now, report });
        if (await this.runs.finish(runId, this.instance, 'done', null, now()))
          logger.info({ ...counts }, 'sync finished');
        else logger.warn({ ...counts }, 'sync finished after another instance took it over; its outcome is theirs');
        break;
      } catch (err) {
        // A lock conflict that outlived the write's own retries (an autocommit statement, a busy minute with the
        // inbox processor): the pages saved so far stand, so the run goes on from its last checkpoint.
        if (isLockConflict(err) && resumes < CONFLICT_RESUMES && !signal.aborted) {
          logger.warn({ err, resumes }, 'sync hit a lock conflict; resuming from its checkpoint');
          continue;
        }
        if (err instanceof SyncTakenOver) {
          logger.warn('sync taken over by another instance; this pass stops without writing');
          break;
        }
        const paused = err instanceof SyncAborted;
        await this.runs.finish(
          runId,
          this.instance,
          paused ? 'paused' : 'failed',
          paused ? null : errorText(err),
          now(),
        );
        if (paused) logger.info('sync paused');
        else logger.error({ err }, 'sync failed');
        break;
      }
    }
    await report();
    return this.view(runId);
  }

  /** One pass of the task from the run's saved checkpoint and counts; returns the counts at its end. */
  private async runTask(
    runId: string,
    account: Account,
    task: SyncTask,
    pass: { signal: AbortSignal; logger: Logger; now: () => Date; report: () => Promise<void> },
  ): Promise<SyncCounts> {
    const { signal, logger, now, report } = pass;
    const record = (await this.runs.get(runId)) as SyncRunRecord;
    const counts: SyncCounts = { processed: record.processed, created: record.created, updated: record.updated };
    await task.run({
      runId,
      account,
      checkpoint: record.checkpoint,
      counts,
      startedAt: record.startedAt,
      now,
      signal,
      logger,
      savePage: async (checkpoint, delta) => {
        counts.processed += delta.processed ?? 0;
        counts.created += delta.created ?? 0;
        counts.updated += delta.updated ?? 0;
        if (!(await this.runs.savePage(runId, this.instance, checkpoint, counts, now())))
          throw new SyncTakenOver(runId);
        await report();
      },
      setTotal: async (total) => {
        if (!(await this.runs.setTotal(runId, this.instance, total))) throw new SyncTakenOver(runId);
      },
    });
    return counts;
  }
}

function errorText(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const text = typeof e?.message === 'string' ? e.message : String(err);
  return (typeof e?.code === 'string' ? `${e.code}: ${text}` : text).slice(0, 2000);
}
