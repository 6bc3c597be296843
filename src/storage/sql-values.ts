/**
 * Values crossing raw SQL on both drivers. Entities convert for themselves; raw queries (`execute`, `select`,
 * `insertIgnore`, `upsert` in sql.ts) need the same conversions by hand:
 * - better-sqlite3 cannot bind a Date and TypeORM's mysql2 options stringify objects, so Dates become
 *   `YYYY-MM-DD HH:MM:SS.SSS` UTC text (MySQL parses it into datetime(3); SQLite compares it as text, the
 *   same form TypeORM writes) and plain objects/arrays become JSON text.
 * - Read back, MySQL gives Date objects and bigint strings, SQLite gives text and numbers.
 */
export function toDbTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

export function fromDbTime(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'string') {
    const iso = /^\d{4}-\d\d-\d\d \d\d:\d\d/.test(v) ? v.replace(' ', 'T') : v;
    return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  }
  if (typeof v === 'number') return new Date(v);
  throw new TypeError(`not a database time: ${typeof v}`);
}

export function toJsonText(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

export function fromJsonText<T>(v: unknown): T | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') return v as T;
  return v === '' ? null : (JSON.parse(v) as T);
}

/** A bigint id or count read by raw SQL (number on SQLite, string on MySQL) as a string. */
export function idString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  throw new TypeError(`not an id: ${typeof v}`);
}

/** One bound parameter, converted as above; booleans become 1/0 for both drivers. */
export function toDbParam(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return toDbTime(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

/** Unique/primary key violation on either driver (ER_DUP_ENTRY 1062, SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY). */
export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as { driverError?: { code?: unknown; errno?: unknown }; code?: unknown; errno?: unknown } | null;
  const inner = e?.driverError ?? e;
  const code = inner?.code;
  return (
    code === 'ER_DUP_ENTRY' ||
    inner?.errno === 1062 ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
