import path from 'node:path';
import { StorageError } from './errors';

export type DatabaseTarget =
  | { kind: 'sqlite'; path: string }
  | { kind: 'mysql'; host: string; port: number; username: string; password: string; database: string };

/**
 * `sqlite:<path>` (relative to the working directory; `sqlite::memory:` for an in-memory database) or
 * `mysql://user:pass@host:port/db` (user and password percent-decoded). Never echoes the password.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    let p = url.slice('sqlite:'.length);
    if (p.startsWith('//')) p = p.slice(2);
    if (!p) throw new StorageError('INVALID_DATABASE_URL', 'sqlite URL needs a path, e.g. sqlite:./data/siyu.db');
    return { kind: 'sqlite', path: p === ':memory:' ? p : path.resolve(p) };
  }
  if (url.startsWith('mysql://')) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new StorageError(
        'INVALID_DATABASE_URL',
        'mysql URL is malformed (expected mysql://user:pass@host:port/db)',
      );
    }
    const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (!u.hostname || !database) {
      throw new StorageError(
        'INVALID_DATABASE_URL',
        'mysql URL needs a host and a database name (mysql://user:pass@host:port/db)',
      );
    }
    return {
      kind: 'mysql',
      host: u.hostname,
      port: u.port ? Number(u.port) : 3306,
      username: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database,
    };
  }
  throw new StorageError('INVALID_DATABASE_URL', 'database URL must start with sqlite: or mysql://');
}

/** The URL with the password replaced, for logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(mysql:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
