import { DomainError, type ErrorStatusTable } from '../errors/domain-error';

/**
 * Typed storage failures. A busy or unreachable database is temporary: 503 with Retry-After, so callers retry
 * (DESIGN §3). A bad URL or a failed migration stops the process at start and is never a request's fault: 500.
 */
export const STORAGE_ERROR_STATUS = {
  INVALID_DATABASE_URL: 500,
  DB_BUSY: 503,
  DB_UNAVAILABLE: 503,
  MIGRATION_FAILED: 500,
} as const satisfies ErrorStatusTable;

export type StorageErrorCode = keyof typeof STORAGE_ERROR_STATUS;

export class StorageError extends DomainError<StorageErrorCode> {
  readonly domain = 'storage';

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, undefined, options);
  }
}

/** SQLite's "another connection holds the lock" after its busy timeout (https://www.sqlite.org/rescode.html#busy). */
const SQLITE_BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);
/**
 * MySQL lock waits that outlived the conflict retries (1205, 1213) are busy; a refused, lost or overfull
 * connection means the server cannot be reached now (1040 too many connections, 1053 server shutdown, 1047 a
 * Galera node not yet ready for queries while it joins or is cut off from the cluster's primary component).
 * https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html
 */
const MYSQL_BUSY_ERRNOS = new Set([1205, 1213]);
const MYSQL_UNREACHABLE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_UNKNOWN_COM_ERROR',
]);
/** Socket failures count only when the driver raised them (mysql2 marks them `fatal`), not any outbound call's. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * A driver's own failure (possibly wrapped in TypeORM's QueryFailedError) that means the database is busy or
 * unreachable, as the StorageError callers understand; undefined for anything else (a bug, a constraint).
 */
export function storageErrorOf(err: unknown): StorageError | undefined {
  if (err instanceof StorageError) return err;
  const e = err as {
    driverError?: { code?: unknown; errno?: unknown; fatal?: unknown };
    code?: unknown;
    errno?: unknown;
    fatal?: unknown;
  } | null;
  const inner = e?.driverError ?? e;
  if (!inner || typeof inner !== 'object') return undefined;
  const code = typeof inner.code === 'string' ? inner.code : '';
  if (
    SQLITE_BUSY_CODES.has(code) ||
    (typeof inner.errno === 'number' && MYSQL_BUSY_ERRNOS.has(inner.errno) && code.startsWith('ER_'))
  ) {
    return new StorageError('DB_BUSY', `database busy (${code || String(inner.errno)})`, { cause: err });
  }
  if (
    MYSQL_UNREACHABLE_CODES.has(code) ||
    inner.fatal === true ||
    (e?.driverError !== undefined && SOCKET_CODES.has(code))
  )
    return new StorageError('DB_UNAVAILABLE', `database unreachable (${code || 'fatal'})`, { cause: err });
  return undefined;
}
