import type { DataSource } from 'typeorm';
import { type ClaimSetting, type ClaimStrategy, claimRows, resolveClaimStrategy } from '../claim';
import { retryConflicts } from '../conflict-retry';
import { type Db, execute, excluded, fromDbTime, idString, select, upsert } from '../sql';

/**
 * `wecom_contact`: externalcontact/get of one external_userid; `oa_user`: user/info of one openid;
 * `wecom_member`: user/get of one staff member (change_contact); `wecom_group`: groupchat/get of one chat_id
 * (change_external_chat); `wecom_group_joiners`: groupchat/get of one chat_id right after a join's callback, for
 * its external members' identities only.
 */
export type RefreshKind = 'wecom_contact' | 'oa_user' | 'wecom_member' | 'wecom_group' | 'wecom_group_joiners';

export interface RefreshHint {
  kind: RefreshKind;
  /** corpId / appId */
  account: string;
  /** external_userid / openid / member userid / chat_id */
  subject: string;
}

export interface RefreshJob extends RefreshHint {
  id: string;
  attempts: number;
  hintedAt: Date;
}

const pendingKey = (h: RefreshHint) => `${h.kind}|${h.account}|${h.subject}`.slice(0, 191);

/**
 * Queues a re-read. A hint for a subject already waiting or being read coalesces into that row (unique
 * `pending_key`) and moves its `hinted_at`, so a read already in flight is repeated once instead of losing
 * the newer change. Meant to run inside the transaction that applies the callback (atomic with its inbox row).
 */
export async function enqueueRefresh(db: Db, hints: readonly RefreshHint[], now: Date): Promise<void> {
  const rows = hints.map((h) => ({
    kind: h.kind,
    account: h.account.slice(0, 64),
    subject: h.subject.slice(0, 128),
    pending_key: pendingKey(h),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    hinted_at: now,
    created_at: now,
    updated_at: now,
  }));
  await upsert(db, 'refresh_queue', rows, {
    conflict: ['pending_key'],
    update: { hinted_at: excluded(db, 'hinted_at'), updated_at: excluded(db, 'updated_at') },
  });
}

/**
 * Erasure (DESIGN §12): every re-read of these subjects (openids, external_userids of their account), waiting or
 * finished, goes — finished rows still name the subject. Found through the subject index.
 */
export async function deleteRefreshesOf(
  db: Db,
  subjects: readonly { account: string; subject: string }[],
): Promise<number> {
  let deleted = 0;
  for (const s of subjects) {
    deleted += (
      await execute(db, 'DELETE FROM refresh_queue WHERE subject = ? AND account = ?', [
        s.subject.slice(0, 128),
        s.account.slice(0, 64),
      ])
    ).affected;
  }
  return deleted;
}

function toJob(r: Record<string, unknown>): RefreshJob {
  return {
    id: idString(r.id),
    kind: r.kind as RefreshKind,
    account: String(r.account),
    subject: String(r.subject),
    attempts: Number(r.attempts),
    hintedAt: fromDbTime(r.hinted_at)!,
  };
}

export class RefreshQueueRepository {
  readonly claimStrategy: ClaimStrategy;

  constructor(
    private readonly ds: DataSource,
    opts: { claim?: ClaimSetting } = {},
  ) {
    this.claimStrategy = resolveClaimStrategy(ds, opts.claim ?? 'auto');
  }

  /**
   * Claims due rows for this worker in a short transaction committed before any WeChat call (storage/claim.ts,
   * `database.claim`), so instances take disjoint rows and a lost conflict costs only a re-claim.
   */
  async claim(workerId: string, limit: number, now: Date, lockedUntil: Date): Promise<RefreshJob[]> {
    const rows = await claimRows(this.ds, this.claimStrategy, {
      table: 'refresh_queue',
      operation: 'refresh_queue.claim',
      due: "status = 'pending' AND next_attempt_at <= ?",
      dueParams: [now],
      order: 'next_attempt_at, id',
      limit,
      set: "status = 'processing', attempts = attempts + 1, locked_by = ?, locked_until = ?, updated_at = ?",
      setParams: [workerId, lockedUntil, now],
      columns: 'id, kind, account, subject, attempts, hinted_at',
    });
    return rows.map(toJob);
  }

  /** Rows whose worker died mid-read go back to pending. */
  async reclaimExpired(now: Date): Promise<number> {
    const { affected } = await retryConflicts(this.ds, { operation: 'refresh_queue.reclaim' }, () =>
      execute(
        this.ds,
        "UPDATE refresh_queue SET status = 'pending', locked_by = NULL, locked_until = NULL, next_attempt_at = ? WHERE status = 'processing' AND locked_until < ?",
        [now, now],
      ),
    );
    return affected;
  }

  /**
   * `complete` for the jobs of one stored batch in two statements: those hinted again during their read go back
   * to pending, then the rest are done.
   */
  async completeAll(db: Db, jobs: readonly RefreshJob[], now: Date): Promise<void> {
    if (jobs.length === 0) return;
    const hintedAgain = jobs.map(() => '(id = ? AND hinted_at > ?)').join(' OR ');
    await execute(
      db,
      `UPDATE refresh_queue SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL,
         locked_by = NULL, locked_until = NULL, updated_at = ?
       WHERE status = 'processing' AND (${hintedAgain})`,
      [now, now, ...jobs.flatMap((j) => [j.id, j.hintedAt])],
    );
    await execute(
      db,
      `UPDATE refresh_queue SET status = 'done', pending_key = NULL, done_at = ?, next_attempt_at = ?, last_error = NULL,
         locked_by = NULL, locked_until = NULL, updated_at = ?
       WHERE status = 'processing' AND id IN (${jobs.map(() => '?').join(', ')})`,
      [now, now, now, ...jobs.map((j) => j.id)],
    );
  }

  /** Done — unless a new hint arrived during the read (hinted_at moved): then the row waits to be read again. */
  async complete(db: Db, job: RefreshJob, now: Date): Promise<void> {
    await execute(
      db,
      `UPDATE refresh_queue SET
         status = CASE WHEN hinted_at > ? THEN 'pending' ELSE 'done' END,
         pending_key = CASE WHEN hinted_at > ? THEN pending_key ELSE NULL END,
         done_at = CASE WHEN hinted_at > ? THEN NULL ELSE ? END,
         attempts = CASE WHEN hinted_at > ? THEN 0 ELSE attempts END,
         next_attempt_at = ?, last_error = NULL, locked_by = NULL, locked_until = NULL, updated_at = ?
       WHERE id = ?`,
      [job.hintedAt, job.hintedAt, job.hintedAt, now, job.hintedAt, now, now, job.id],
    );
  }

  /** A retry later, or `failed` (pending_key freed so later hints queue afresh) when `retryAt` is null. */
  async fail(job: RefreshJob, error: string, retryAt: Date | null, now: Date): Promise<void> {
    await execute(
      this.ds,
      `UPDATE refresh_queue SET status = ?, pending_key = ${retryAt ? 'pending_key' : 'NULL'}, last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at),
         locked_by = NULL, locked_until = NULL, updated_at = ? WHERE id = ?`,
      [retryAt ? 'pending' : 'failed', error.slice(0, 2000), retryAt, now, job.id],
    );
  }

  async counts(): Promise<Record<string, number>> {
    const rows = await select<{ status: string; n: unknown }>(
      this.ds,
      'SELECT status, COUNT(*) AS n FROM refresh_queue GROUP BY status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
