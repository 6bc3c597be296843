import type { TransferItemRow, TransferItemStatus, TransferKind, TransferRow } from '../entities/transfer.entity';
import { type Db, execute, fromDbTime, idString, insertIgnore, select } from '../sql';

export type TransferRecord = Omit<TransferRow, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };
export type TransferItemRecord = Pick<
  TransferItemRow,
  'externalUserid' | 'customerId' | 'status' | 'reason' | 'errcode' | 'takeoverAt'
>;

export interface ItemOutcome {
  externalUserid: string;
  status: TransferItemStatus;
  reason: string | null;
  errcode?: number | null;
  takeoverAt?: Date | null;
}

const toTransfer = (r: Record<string, unknown>): TransferRecord => ({
  id: idString(r.id),
  corpId: String(r.corp_id),
  kind: String(r.kind) as TransferKind,
  fromUserid: String(r.from_userid),
  toUserid: String(r.to_userid),
  message: r.message === null || r.message === undefined ? null : String(r.message),
  status: r.status === 'done' ? 'done' : 'running',
  total: Number(r.total),
  createdBy: r.created_by === null || r.created_by === undefined ? null : String(r.created_by),
  nextPollAt: fromDbTime(r.next_poll_at)!,
  finishedAt: fromDbTime(r.finished_at),
  createdAt: fromDbTime(r.created_at)!,
  updatedAt: fromDbTime(r.updated_at)!,
});

const toItem = (r: Record<string, unknown>): TransferItemRecord => ({
  externalUserid: String(r.external_userid),
  customerId: r.customer_id === null || r.customer_id === undefined ? null : String(r.customer_id),
  status: String(r.status) as TransferItemStatus,
  reason: r.reason === null || r.reason === undefined ? null : String(r.reason),
  errcode: r.errcode === null || r.errcode === undefined ? null : Number(r.errcode),
  takeoverAt: fromDbTime(r.takeover_at),
});

/** A new transfer with one `waiting` item per customer; returns its id. */
export async function insertTransfer(
  db: Db,
  t: Pick<TransferRow, 'corpId' | 'kind' | 'fromUserid' | 'toUserid' | 'message' | 'createdBy'>,
  items: readonly { externalUserid: string; customerId: string | null }[],
  now: Date,
): Promise<string> {
  const r = await execute(
    db,
    `INSERT INTO transfers (corp_id, kind, from_userid, to_userid, message, status, total, created_by, next_poll_at, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
    [t.corpId, t.kind, t.fromUserid, t.toUserid, t.message, items.length, t.createdBy, now, now, now],
  );
  const id = r.insertId!;
  for (let i = 0; i < items.length; i += 500)
    await insertIgnore(
      db,
      'transfer_items',
      items.slice(i, i + 500).map((it) => ({
        transfer_id: id,
        corp_id: t.corpId,
        from_userid: t.fromUserid,
        external_userid: it.externalUserid,
        customer_id: it.customerId,
        status: 'waiting',
        updated_at: now,
      })),
    );
  return id;
}

/** Records outcomes of some items; a final item (done, refused, failed) is never changed again. */
export async function setItemOutcomes(
  db: Db,
  transferId: string,
  outcomes: readonly ItemOutcome[],
  now: Date,
): Promise<void> {
  for (const o of outcomes)
    await execute(
      db,
      `UPDATE transfer_items SET status = ?, reason = ?, errcode = COALESCE(?, errcode), takeover_at = COALESCE(?, takeover_at), updated_at = ?
        WHERE transfer_id = ? AND external_userid = ? AND status = 'waiting'`,
      [o.status, o.reason, o.errcode ?? null, o.takeoverAt ?? null, now, transferId, o.externalUserid],
    );
}

export async function findTransfer(db: Db, id: string): Promise<TransferRecord | null> {
  if (!/^\d{1,19}$/.test(id)) return null;
  const [r] = await select(db, 'SELECT * FROM transfers WHERE id = ?', [id]);
  return r ? toTransfer(r) : null;
}

export async function itemsOf(db: Db, transferId: string): Promise<TransferItemRecord[]> {
  const rows = await select(
    db,
    'SELECT external_userid, customer_id, status, reason, errcode, takeover_at FROM transfer_items WHERE transfer_id = ? ORDER BY id',
    [transferId],
  );
  return rows.map(toItem);
}

/** Item counts per status of some transfers. */
export async function statusCounts(
  db: Db,
  transferIds: readonly string[],
): Promise<Map<string, Record<TransferItemStatus, number>>> {
  const out = new Map<string, Record<TransferItemStatus, number>>();
  if (transferIds.length === 0) return out;
  const rows = await select(
    db,
    `SELECT transfer_id, status, COUNT(*) AS n FROM transfer_items WHERE transfer_id IN (${transferIds.map(() => '?').join(', ')}) GROUP BY transfer_id, status`,
    [...transferIds],
  );
  for (const r of rows) {
    const id = idString(r.transfer_id);
    const c = out.get(id) ?? { waiting: 0, done: 0, refused: 0, failed: 0 };
    c[String(r.status) as TransferItemStatus] = Number(r.n);
    out.set(id, c);
  }
  return out;
}

/** Newest first, keyset-paged by id; optionally of one corp or one member (either side). */
export async function listTransfers(
  db: Db,
  f: { corpId?: string; userid?: string; before?: string; limit: number },
): Promise<TransferRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]): void => {
    where.push(sql);
    params.push(...values);
  };
  if (f.corpId) add('corp_id = ?', f.corpId);
  if (f.userid) add('(from_userid = ? OR to_userid = ?)', f.userid, f.userid);
  if (f.before) add('id < ?', f.before);
  const rows = await select(
    db,
    `SELECT * FROM transfers${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${Math.trunc(f.limit)}`,
    params,
  );
  return rows.map(toTransfer);
}

/** Running transfers whose next poll is due (every running one with a null `now`), oldest first. */
export async function dueTransfers(db: Db, now: Date | null, limit: number): Promise<TransferRecord[]> {
  const rows = await select(
    db,
    `SELECT * FROM transfers WHERE status = 'running'${now ? ' AND next_poll_at <= ?' : ''} ORDER BY next_poll_at, id LIMIT ${Math.trunc(limit)}`,
    now ? [now] : [],
  );
  return rows.map(toTransfer);
}

/** Closes the transfer when no item waits any more, else sets its next poll; returns whether it is done. */
export async function settleTransfer(db: Db, id: string, nextPollAt: Date, now: Date): Promise<boolean> {
  const [w] = await select(
    db,
    "SELECT COUNT(*) AS n FROM transfer_items WHERE transfer_id = ? AND status = 'waiting'",
    [id],
  );
  const done = Number(w?.n ?? 0) === 0;
  await execute(
    db,
    done
      ? "UPDATE transfers SET status = 'done', finished_at = COALESCE(finished_at, ?), updated_at = ? WHERE id = ?"
      : 'UPDATE transfers SET next_poll_at = ?, updated_at = ? WHERE id = ?',
    [done ? now : nextPollAt, now, id],
  );
  return done;
}

/** Waiting items of one customer whose takeover is `toUserid` (a transfer_fail names the takeover only). */
export async function waitingItemsTo(
  db: Db,
  corpId: string,
  externalUserid: string,
  toUserid: string,
): Promise<{ transferId: string }[]> {
  const rows = await select(
    db,
    `SELECT i.transfer_id FROM transfer_items i JOIN transfers t ON t.id = i.transfer_id
      WHERE i.corp_id = ? AND i.external_userid = ? AND i.status = 'waiting' AND t.to_userid = ?`,
    [corpId, externalUserid, toUserid],
  );
  return rows.map((r) => ({ transferId: idString(r.transfer_id) }));
}

/**
 * SQL condition (on `wecom_follows` as `alias`) true while a transfer of that relation waits: a full sync or a
 * re-read must not end such a relation (DESIGN §10.3).
 */
export function noWaitingTransfer(alias: string): string {
  return `NOT EXISTS (SELECT 1 FROM transfer_items ti WHERE ti.corp_id = ${alias}.corp_id AND ti.external_userid = ${alias}.external_userid AND ti.from_userid = ${alias}.staff_userid AND ti.status = 'waiting')`;
}
