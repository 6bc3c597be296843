import type { CustomerNoteRow, NoteAuthorKind } from '../entities/customer-note.entity';
import { type Db, type Row, execute, fromDbTime, idString, select, toDbTime } from '../sql';

const COLUMNS = 'id, customer_id, text, author, author_kind, created_at';

export function toCustomerNote(r: Row): CustomerNoteRow {
  return {
    id: idString(r.id),
    customerId: String(r.customer_id),
    text: String(r.text),
    author: String(r.author),
    authorKind: r.author_kind as NoteAuthorKind,
    createdAt: fromDbTime(r.created_at)!,
  };
}

export async function insertNote(
  db: Db,
  n: Omit<CustomerNoteRow, 'id' | 'createdAt'>,
  now: Date,
): Promise<CustomerNoteRow> {
  const r = await execute(
    db,
    'INSERT INTO customer_notes (customer_id, text, author, author_kind, created_at) VALUES (?, ?, ?, ?, ?)',
    [n.customerId, n.text, n.author, n.authorKind, toDbTime(now)],
  );
  return { ...n, id: r.insertId!, createdAt: now };
}

/** Newest first (ties by id); `before` = the id of the last note of the previous page. */
export async function pageNotes(
  db: Db,
  customerId: string,
  limit: number,
  before?: { createdAt: Date; id: string },
): Promise<CustomerNoteRow[]> {
  const after = before ? ' AND (created_at < ? OR (created_at = ? AND id < ?))' : '';
  const params: unknown[] = [customerId];
  if (before) params.push(toDbTime(before.createdAt), toDbTime(before.createdAt), before.id);
  return (
    await select(
      db,
      `SELECT ${COLUMNS} FROM customer_notes WHERE customer_id = ?${after} ORDER BY created_at DESC, id DESC LIMIT ${Math.trunc(limit)}`,
      params,
    )
  ).map(toCustomerNote);
}

export async function findNote(db: Db, id: string): Promise<CustomerNoteRow | undefined> {
  const [r] = await select(db, `SELECT ${COLUMNS} FROM customer_notes WHERE id = ?`, [id]);
  return r ? toCustomerNote(r) : undefined;
}
