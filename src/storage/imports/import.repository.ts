import type { ImportErrorRow, ImportFormat, ImportKind, ImportRow, ImportStatus } from '../entities/import.entity';
import { type Db, execute, fromDbTime, fromJsonText, idString, select, toDbTime, toJsonText } from '../sql';

export type NewImport = Pick<
  ImportRow,
  'kind' | 'source' | 'format' | 'fileName' | 'mapping' | 'totalBytes' | 'createdBy'
>;
export type ImportProgress = Pick<ImportRow, 'readBytes' | 'readRows' | 'writtenRows' | 'failedRows'>;
export type ImportErrorRecord = Pick<ImportErrorRow, 'line' | 'reason' | 'raw'>;

const COLUMNS =
  'id, kind, source, format, status, file_name, mapping, total_bytes, read_bytes, read_rows, written_rows, failed_rows, error, created_by, finished_at, created_at, updated_at';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const toImport = (r: Record<string, unknown>): ImportRow => ({
  id: idString(r.id),
  kind: String(r.kind) as ImportKind,
  source: String(r.source),
  format: String(r.format) as ImportFormat,
  status: String(r.status) as ImportStatus,
  fileName: str(r.file_name),
  mapping: fromJsonText<Record<string, string>>(r.mapping),
  totalBytes: Number(r.total_bytes),
  readBytes: Number(r.read_bytes),
  readRows: Number(r.read_rows),
  writtenRows: Number(r.written_rows),
  failedRows: Number(r.failed_rows),
  error: str(r.error),
  createdBy: str(r.created_by),
  finishedAt: fromDbTime(r.finished_at),
  createdAt: fromDbTime(r.created_at)!,
  updatedAt: fromDbTime(r.updated_at)!,
});

/** A new import in state `running`; returns its id. */
export async function insertImport(db: Db, i: NewImport, now: Date): Promise<string> {
  const at = toDbTime(now);
  const r = await execute(
    db,
    `INSERT INTO imports (kind, source, format, status, file_name, mapping, total_bytes, created_by, created_at, updated_at)
       VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
    [i.kind, i.source, i.format, i.fileName, toJsonText(i.mapping), i.totalBytes, i.createdBy, at, at],
  );
  if (!r.insertId) throw new Error('imports insert returned no id');
  return r.insertId;
}

export async function findImport(db: Db, id: string): Promise<ImportRow | undefined> {
  const [r] = await select(db, `SELECT ${COLUMNS} FROM imports WHERE id = ?`, [id]);
  return r ? toImport(r) : undefined;
}

export async function saveImportProgress(db: Db, id: string, p: ImportProgress, now: Date): Promise<void> {
  await execute(
    db,
    'UPDATE imports SET read_bytes = ?, read_rows = ?, written_rows = ?, failed_rows = ?, updated_at = ? WHERE id = ?',
    [p.readBytes, p.readRows, p.writtenRows, p.failedRows, toDbTime(now), id],
  );
}

export async function finishImport(
  db: Db,
  id: string,
  status: Exclude<ImportStatus, 'running'>,
  p: ImportProgress,
  error: string | null,
  now: Date,
): Promise<void> {
  await execute(
    db,
    `UPDATE imports SET status = ?, read_bytes = ?, read_rows = ?, written_rows = ?, failed_rows = ?, error = ?, finished_at = ?, updated_at = ?
       WHERE id = ?`,
    [
      status,
      p.readBytes,
      p.readRows,
      p.writtenRows,
      p.failedRows,
      error?.slice(0, 512) ?? null,
      toDbTime(now),
      toDbTime(now),
      id,
    ],
  );
}

export async function insertImportErrors(
  db: Db,
  importId: string,
  errors: readonly ImportErrorRecord[],
): Promise<void> {
  if (errors.length === 0) return;
  await execute(
    db,
    `INSERT INTO import_errors (import_id, line, reason, raw) VALUES ${errors.map(() => '(?, ?, ?, ?)').join(', ')}`,
    errors.flatMap((e) => [importId, e.line, e.reason.slice(0, 512), e.raw]),
  );
}

/** The refused rows in line order, keyset-paged on the line. */
export async function pageImportErrors(
  db: Db,
  importId: string,
  afterLine: number,
  limit: number,
): Promise<ImportErrorRecord[]> {
  const rows = await select<{ line: unknown; reason: string; raw: string | null }>(
    db,
    'SELECT line, reason, raw FROM import_errors WHERE import_id = ? AND line > ? ORDER BY line LIMIT ?',
    [importId, afterLine, limit],
  );
  return rows.map((r) => ({ line: Number(r.line), reason: r.reason, raw: r.raw ?? null }));
}
