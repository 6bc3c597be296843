import type { Account } from '../../config';
import type { Logger } from '../logger';
import type { SyncCounts } from '../storage/syncs/sync-run.repository';

export type { SyncCounts };

/** What `siyu sync <accountId> <resource>` and `POST /api/v1/syncs` can pull. */
export const SYNC_RESOURCES = ['followers', 'contacts', 'corp-tags', 'staff', 'groups'] as const;
export type SyncResource = (typeof SYNC_RESOURCES)[number];

export function isSyncResource(v: unknown): v is SyncResource {
  return typeof v === 'string' && (SYNC_RESOURCES as readonly string[]).includes(v);
}

/**
 * What a resource task gets from the runner. `checkpoint` is the value the task saved after its last committed
 * page (null on a fresh run); `savePage` persists the next one together with the counts, so a killed process
 * resumes after the last page whose writes were committed.
 */
export interface SyncTaskContext {
  runId: string;
  account: Account;
  checkpoint: unknown;
  counts: Readonly<SyncCounts>;
  /** When the run first started (a resumed run keeps it): rows touched since belong to this run. */
  startedAt: Date;
  now(): Date;
  signal: AbortSignal;
  logger: Logger;
  savePage(checkpoint: unknown, delta: Partial<SyncCounts>): Promise<void>;
  setTotal(total: number | null): Promise<void>;
}

export interface SyncTask {
  run(ctx: SyncTaskContext): Promise<void>;
}

/** Thrown inside a task when `signal` aborted between pages: the run is left `paused`, resumable. */
export class SyncAborted extends Error {
  constructor() {
    super('sync stopped before the end; it resumes from its checkpoint');
    this.name = 'SyncAborted';
  }
}

/**
 * Thrown by `savePage` when another instance has taken the run over (this one's lease ran out while it stalled):
 * the stale pass stops and leaves the run, its checkpoint and its outcome to the new holder.
 */
export class SyncTakenOver extends Error {
  constructor(readonly runId: string) {
    super(`sync ${runId} was taken over by another instance`);
    this.name = 'SyncTakenOver';
  }
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new SyncAborted();
}
