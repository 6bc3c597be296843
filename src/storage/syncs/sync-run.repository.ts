import type { SyncRunStatus } from '../entities';
import { type Db, execute, fromDbTime, idString, select } from '../sql';
import { selectNewestFirst } from '../newest-first';

/** Counts a task reports after each page; totals are cumulative over the whole run (resumes included). */
export interface SyncCounts {
  processed: number;
  created: number;
  updated: number;
}

/** A `sync_runs` row as the runner and the API read it. */
export interface SyncRunRecord extends SyncCounts {
  id: string;
  account: string;
  resource: string;
  status: SyncRunStatus;
  checkpoint: unknown;
  total: number | null;
  triggeredBy: string | null;
  startedAt: Date;
  heartbeatAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
  lockedBy: string | null;
}

const COLUMNS =
  'id, account, resource, status, checkpoint, processed, total, created, updated, triggered_by, started_at, heartbeat_at, finished_at, error, locked_by';

function toRecord(r: Record<string, unknown>): SyncRunRecord {
  const text = r.checkpoint as string | null;
  return {
    id: idString(r.id),
    account: String(r.account),
    resource: String(r.resource),
    status: r.status as SyncRunStatus,
    checkpoint: text ? (JSON.parse(text) as unknown) : null,
    processed: Number(r.processed),
    total: r.total === null || r.total === undefined ? null : Number(r.total),
    created: Number(r.created),
    updated: Number(r.updated),
    triggeredBy: (r.triggered_by as string | null) ?? null,
    startedAt: fromDbTime(r.started_at)!,
    heartbeatAt: fromDbTime(r.heartbeat_at),
    finishedAt: fromDbTime(r.finished_at),
    error: (r.error as string | null) ?? null,
    lockedBy: (r.locked_by as string | null) ?? null,
  };
}

/** SQL for `sync_runs` (DESIGN §6: resumable full syncs with a checkpoint saved after every page). */
export class SyncRunRepository {
  constructor(private readonly db: Db) {}

  async create(r: {
    account: string;
    resource: string;
    triggeredBy: string | null;
    instance: string;
    now: Date;
  }): Promise<string> {
    const { insertId } = await execute(
      this.db,
      "INSERT INTO sync_runs (account, resource, status, processed, created, updated, triggered_by, started_at, heartbeat_at, locked_by) VALUES (?, ?, 'running', 0, 0, 0, ?, ?, ?, ?)",
      [r.account, r.resource, r.triggeredBy?.slice(0, 128) ?? null, r.now, r.now, r.instance],
    );
    if (!insertId) throw new Error('sync run insert returned no id');
    return insertId;
  }

  /**
   * The newest run of (account, resource) that did not finish — left `running` by a killed process, `paused` by
   * a graceful stop, or `failed` (a WeChat error, quota) — if it is the newest run of the pair at all.
   */
  async findUnfinished(account: string, resource: string): Promise<SyncRunRecord | undefined> {
    const rows = await select(
      this.db,
      `SELECT ${COLUMNS} FROM sync_runs WHERE account = ? AND resource = ? ORDER BY id DESC LIMIT 1`,
      [account, resource],
    );
    const last = rows[0] ? toRecord(rows[0]) : undefined;
    return last && last.status !== 'done' ? last : undefined;
  }

  async get(id: string): Promise<SyncRunRecord | undefined> {
    const rows = await select(this.db, `SELECT ${COLUMNS} FROM sync_runs WHERE id = ?`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Newest first, keyset-paged on id. */
  async list(f: { account?: string; resource?: string; limit: number; before?: string }): Promise<SyncRunRecord[]> {
    const rows = await selectNewestFirst(
      this.db,
      'sync_runs',
      COLUMNS,
      [
        f.account && ['account = ?', f.account],
        f.resource && ['resource = ?', f.resource],
        f.before && ['id < ?', f.before],
      ],
      f.limit,
    );
    return rows.map(toRecord);
  }

  /** Takes a run over for this instance (fresh or resumed). */
  async claim(id: string, instance: string, now: Date): Promise<void> {
    await execute(
      this.db,
      "UPDATE sync_runs SET status = 'running', locked_by = ?, heartbeat_at = ?, finished_at = NULL, error = NULL WHERE id = ?",
      [instance, now, id],
    );
  }

  /** Gives up on a run too old to resume: its checkpoint describes a list that has long changed. */
  async abandon(id: string, now: Date): Promise<void> {
    await execute(
      this.db,
      "UPDATE sync_runs SET status = 'failed', error = COALESCE(error, 'abandoned: too old to resume'), finished_at = COALESCE(finished_at, ?), locked_by = NULL WHERE id = ?",
      [now, id],
    );
  }

  /**
   * Saves a page's checkpoint and counts if `instance` still holds the run. False when another instance has
   * taken it over (this one's lease ran out while it was stalled): the stale holder must stop, not overwrite the
   * newer checkpoint (DESIGN §3, shared rows written with a version check).
   */
  async savePage(id: string, instance: string, checkpoint: unknown, counts: SyncCounts, now: Date): Promise<boolean> {
    const { affected } = await execute(
      this.db,
      'UPDATE sync_runs SET checkpoint = ?, processed = ?, created = ?, updated = ?, heartbeat_at = ? WHERE id = ? AND locked_by = ?',
      [JSON.stringify(checkpoint ?? null), counts.processed, counts.created, counts.updated, now, id, instance],
    );
    return affected > 0;
  }

  async setTotal(id: string, instance: string, total: number | null): Promise<boolean> {
    const { affected } = await execute(this.db, 'UPDATE sync_runs SET total = ? WHERE id = ? AND locked_by = ?', [
      total,
      id,
      instance,
    ]);
    return affected > 0;
  }

  /** done / failed end the run; paused leaves it resumable. Nothing changes once another instance holds it. */
  async finish(
    id: string,
    instance: string,
    status: Exclude<SyncRunStatus, 'running'>,
    error: string | null,
    now: Date,
  ): Promise<boolean> {
    const finishedAt = status === 'paused' ? null : now;
    const { affected } = await execute(
      this.db,
      'UPDATE sync_runs SET status = ?, error = ?, finished_at = ?, heartbeat_at = ?, locked_by = NULL WHERE id = ? AND locked_by = ?',
      [status, error, finishedAt, now, id, instance],
    );
    return affected > 0;
  }
}
