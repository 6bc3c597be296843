import type { MergeLogRow, MergeMoved } from '../entities';
import { type Db, execute, fromDbTime, fromJsonText, idString, select } from '../sql';
import { selectNewestFirst } from '../newest-first';
import { dialectFor } from '../dialect';

/** A merge_log row, as the entity describes it (read here with plain SQL). */
export type MergeRecord = MergeLogRow;

const COLUMNS = 'id, survivor_id, merged_id, reason, evidence, moved, undone_at, undone_by, created_at';

function toMerge(r: Record<string, unknown>): MergeRecord {
  return {
    id: idString(r.id),
    survivorId: String(r.survivor_id),
    mergedId: String(r.merged_id),
    reason: String(r.reason),
    evidence: fromJsonText<Record<string, unknown>>(r.evidence),
    moved: fromJsonText<MergeMoved>(r.moved) ?? {
      identities: [],
      customerTags: [],
      wecomFollows: [],
      oaSubscriptions: [],
      events: [],
      transactions: [],
    },
    undoneAt: fromDbTime(r.undone_at),
    undoneBy: (r.undone_by as string | null) ?? null,
    createdAt: fromDbTime(r.created_at)!,
  };
}

export async function insertMerge(
  db: Db,
  m: {
    survivorId: string;
    mergedId: string;
    reason: string;
    evidence: Record<string, unknown>;
    moved: MergeMoved;
    now: Date;
  },
): Promise<string> {
  const { insertId } = await execute(
    db,
    'INSERT INTO merge_log (survivor_id, merged_id, reason, evidence, moved, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    [m.survivorId, m.mergedId, m.reason.slice(0, 64), m.evidence, m.moved, m.now],
  );
  if (!insertId) throw new Error('merge_log insert returned no id');
  return insertId;
}

export async function findMerge(db: Db, id: string, lock = false): Promise<MergeRecord | undefined> {
  const rows = await select(
    db,
    `SELECT ${COLUMNS} FROM merge_log WHERE id = ?${lock ? dialectFor(db).forUpdate : ''}`,
    [id],
  );
  return rows[0] ? toMerge(rows[0]) : undefined;
}

/** A later merge, not undone, that touches either customer: undoing the earlier one would tear it apart. */
export async function laterMergeTouching(
  db: Db,
  afterId: string,
  customerIds: readonly string[],
): Promise<string | undefined> {
  const marks = customerIds.map(() => '?').join(', ');
  const rows = await select<{ id: unknown }>(
    db,
    `SELECT id FROM merge_log WHERE id > ? AND undone_at IS NULL AND (survivor_id IN (${marks}) OR merged_id IN (${marks})) ORDER BY id LIMIT 1`,
    [afterId, ...customerIds, ...customerIds],
  );
  return rows[0] ? idString(rows[0].id) : undefined;
}

/** Pairs of these customers an operator separated by undoing their merge (`a|b`, ids ordered). */
export async function undoneMergePairs(
  db: Db,
  customerIds: readonly string[],
): Promise<{ survivorId: string; mergedId: string }[]> {
  const marks = customerIds.map(() => '?').join(', ');
  const rows = await select<{ survivor_id: string; merged_id: string }>(
    db,
    `SELECT survivor_id, merged_id FROM merge_log WHERE undone_at IS NOT NULL AND survivor_id IN (${marks}) AND merged_id IN (${marks})`,
    [...customerIds, ...customerIds],
  );
  return rows.map((r) => ({ survivorId: String(r.survivor_id), mergedId: String(r.merged_id) }));
}

export async function markUndone(db: Db, id: string, by: string, now: Date): Promise<void> {
  await execute(db, 'UPDATE merge_log SET undone_at = ?, undone_by = ? WHERE id = ?', [now, by.slice(0, 128), id]);
}

/** Newest first, `beforeId` as the cursor. */
export async function listMerges(
  db: Db,
  opts: { limit: number; beforeId?: string; customerId?: string },
): Promise<MergeRecord[]> {
  const rows = await selectNewestFirst(
    db,
    'merge_log',
    COLUMNS,
    [
      opts.beforeId && ['id < ?', opts.beforeId],
      opts.customerId && ['(survivor_id = ? OR merged_id = ?)', opts.customerId, opts.customerId],
    ],
    opts.limit,
  );
  return rows.map(toMerge);
}
