import type { OutboxStatus } from '../entities';
import { type Db, type Row, execute, fromDbTime, fromJsonText, idString, insertIgnore, select, toDbTime } from '../sql';
import { selectNewestFirst } from '../newest-first';
import type { OaPayload, OutboxChannel, OutboxItem, OutboxPayload, RemarkPayload, WecomPayload } from './outbox.types';

const COLUMNS =
  'id, channel, account, op_key, payload, status, attempts, next_attempt_at, last_errcode, last_error, tag_id, created_at, updated_at';

export function toOutboxItem(r: Row): OutboxItem {
  return {
    id: idString(r.id),
    channel: r.channel as OutboxChannel,
    account: String(r.account),
    opKey: String(r.op_key),
    payload: fromJsonText<OaPayload | WecomPayload>(r.payload)!,
    status: r.status as OutboxStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: fromDbTime(r.next_attempt_at)!,
    lastErrcode: r.last_errcode === null || r.last_errcode === undefined ? null : Number(r.last_errcode),
    lastError: (r.last_error as string | null) ?? null,
    tagId: r.tag_id === null || r.tag_id === undefined ? null : idString(r.tag_id),
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

export interface NewOutboxRow {
  channel: OutboxChannel;
  account: string;
  opKey: string;
  payload: OutboxPayload;
  tagId: string | null;
  status?: OutboxStatus;
  lastErrcode?: number | null;
  lastError?: string | null;
}

export async function insertOutboxRows(db: Db, rows: readonly NewOutboxRow[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const at = toDbTime(now);
  return insertIgnore(
    db,
    'outbox',
    rows.map((r) => ({
      channel: r.channel,
      account: r.account,
      op_key: r.opKey,
      payload: JSON.stringify(r.payload),
      status: r.status ?? 'pending',
      attempts: 0,
      next_attempt_at: at,
      last_errcode: r.lastErrcode ?? null,
      last_error: r.lastError ?? null,
      tag_id: r.tagId,
      created_at: at,
      updated_at: at,
    })),
  );
}

export async function findOutbox(db: Db, id: string): Promise<OutboxItem | undefined> {
  const rows = await select(db, `SELECT ${COLUMNS} FROM outbox WHERE id = ?`, [id]);
  return rows[0] ? toOutboxItem(rows[0]) : undefined;
}

export async function findOutboxByIds(db: Db, ids: readonly string[]): Promise<OutboxItem[]> {
  const out: OutboxItem[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT ${COLUMNS} FROM outbox WHERE id IN (${part.map(() => '?').join(', ')}) ORDER BY id`,
      part,
    );
    out.push(...rows.map(toOutboxItem));
  }
  return out;
}

/** Newest first, keyset-paged on id. */
export async function listOutbox(
  db: Db,
  opts: { status?: OutboxStatus; channel?: string; tagId?: string; before?: string; limit: number },
): Promise<OutboxItem[]> {
  const rows = await selectNewestFirst(
    db,
    'outbox',
    COLUMNS,
    [
      opts.status && ['status = ?', opts.status],
      opts.channel && ['channel = ?', opts.channel],
      opts.tagId && ['tag_id = ?', opts.tagId],
      opts.before && ['id < ?', opts.before],
    ],
    opts.limit,
  );
  return rows.map(toOutboxItem);
}

/** Pending rows of one op key with their payload text exactly as stored (the optimistic top-up compares it). */
export async function pendingOfKey(db: Db, opKey: string): Promise<{ id: string; text: string; payload: OaPayload }[]> {
  const rows = await select(db, "SELECT id, payload FROM outbox WHERE op_key = ? AND status = 'pending' ORDER BY id", [
    opKey,
  ]);
  return rows.map((r) => ({
    id: idString(r.id),
    text: String(r.payload),
    payload: fromJsonText<OaPayload>(r.payload)!,
  }));
}

/** Replaces a pending row's payload only if nobody changed or claimed it since `oldText` was read. */
export async function topUp(db: Db, id: string, oldText: string, payload: OaPayload, now: Date): Promise<boolean> {
  const r = await execute(
    db,
    "UPDATE outbox SET payload = ?, updated_at = ? WHERE id = ? AND status = 'pending' AND payload = ?",
    [JSON.stringify(payload), now, id, oldText],
  );
  return r.affected === 1;
}

/**
 * Queues a row for an op key, or merges `payload` over the key's pending row when there is one (a later change of
 * the same fields wins); a row already claimed is left alone and a new one follows it.
 */
export async function queueOrMerge(db: Db, row: NewOutboxRow & { payload: RemarkPayload }, now: Date): Promise<void> {
  const [pending] = await select(
    db,
    "SELECT id, payload FROM outbox WHERE op_key = ? AND status = 'pending' ORDER BY id LIMIT 1",
    [row.opKey],
  );
  if (pending) {
    const merged = { ...fromJsonText<RemarkPayload>(pending.payload), ...row.payload };
    const r = await execute(
      db,
      "UPDATE outbox SET payload = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND status = 'pending' AND payload = ?",
      [JSON.stringify(merged), now, now, idString(pending.id), String(pending.payload)],
    );
    if (r.affected === 1) return;
  }
  await insertOutboxRows(db, [row], now);
}

/** Op keys among `keys` that already have a pending row. */
export async function pendingKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const part = keys.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT op_key FROM outbox WHERE status = 'pending' AND op_key IN (${part.map(() => '?').join(', ')})`,
      part,
    );
    for (const r of rows) found.add(String(r.op_key));
  }
  return found;
}

export async function countByStatus(db: Db): Promise<Record<OutboxStatus, number>> {
  const counts: Record<OutboxStatus, number> = { pending: 0, in_flight: 0, done: 0, dead: 0 };
  for (const r of await select(db, 'SELECT status, COUNT(*) AS n FROM outbox GROUP BY status'))
    counts[r.status as OutboxStatus] = Number(r.n);
  return counts;
}

/** Drops the OA rows of a tag on an account that nothing has claimed yet (the binding or the tag went). */
export async function deletePendingOaRows(db: Db, account: string, tagId: string): Promise<void> {
  await execute(db, "DELETE FROM outbox WHERE channel = 'oa' AND account = ? AND tag_id = ? AND status = 'pending'", [
    account,
    tagId,
  ]);
}

/** How one claimed row ended: its new status, attempts, next try, the error, and a changed payload if any. */
export interface OutboxRowEnd {
  item: OutboxItem;
  status: 'done' | 'pending' | 'dead';
  attempts: number;
  nextAt?: Date;
  errcode: number | null;
  error: string | null;
  /** A changed payload (remaining openids, the computed mark_tag lists). */
  payload?: OaPayload | WecomPayload;
}

/** Marks the rows a pusher still holds as delivered. */
export async function markOutboxDone(db: Db, ids: string[], owner: string, now: Date): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    await execute(
      db,
      `UPDATE outbox SET status = 'done', attempts = attempts + 1, last_errcode = NULL, last_error = NULL, locked_by = NULL, locked_until = NULL, updated_at = ?
        WHERE id IN (${part.map(() => '?').join(', ')}) AND status = 'in_flight' AND locked_by = ?`,
      [now, ...part, owner],
    );
  }
}

/** Writes back one row's outcome, if the pusher still holds it. */
export async function endOutboxRow(db: Db, e: OutboxRowEnd, owner: string, now: Date): Promise<void> {
  await execute(
    db,
    `UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_errcode = ?, last_error = ?, payload = ?, locked_by = NULL, locked_until = NULL, updated_at = ?
      WHERE id = ? AND status = 'in_flight' AND locked_by = ?`,
    [
      e.status,
      e.attempts,
      e.nextAt ?? e.item.nextAttemptAt,
      e.errcode,
      e.error,
      JSON.stringify(e.payload ?? e.item.payload),
      now,
      e.item.id,
      owner,
    ],
  );
}

/** Replaces a row's payload (an operator's retry sends the failed openids again). */
export async function setOutboxPayload(db: Db, id: string, payload: OaPayload | WecomPayload): Promise<void> {
  await execute(db, 'UPDATE outbox SET payload = ? WHERE id = ?', [JSON.stringify(payload), id]);
}

/** A dead row back to pending, due now, with its attempts and error forgotten. */
export async function reviveDeadOutbox(db: Db, id: string, now: Date): Promise<void> {
  await execute(
    db,
    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, last_errcode = NULL, last_error = NULL, updated_at = ? WHERE id = ? AND status = 'dead'",
    [now, now, id],
  );
}

/** Pending or claimed rows of these op keys, with their stored payload. */
export async function unfinishedRowsOfKeys(
  db: Db,
  keys: readonly string[],
): Promise<{ opKey: string; status: OutboxStatus; payload: OaPayload | WecomPayload | null }[]> {
  const out: { opKey: string; status: OutboxStatus; payload: OaPayload | WecomPayload | null }[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const part = keys.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT op_key, status, payload FROM outbox WHERE status IN ('pending', 'in_flight') AND op_key IN (${part.map(() => '?').join(', ')})`,
      part,
    );
    for (const r of rows)
      out.push({
        opKey: String(r.op_key),
        status: r.status as OutboxStatus,
        payload: fromJsonText<OaPayload | WecomPayload>(r.payload) ?? null,
      });
  }
  return out;
}
