import { randomBytes } from 'crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'fs';
import path from 'path';
import type { Problem } from './env-substitution';

/** The secrets the embedded default generates for itself when the config names none. */
export interface LocalKeys {
  /** 64 hex chars (32 bytes). */
  dataKey: string;
  sessionSecret: string;
}

/**
 * Where the generated keys of a `sqlite:<file>` database live: beside the file, named after it
 * (`./data/siyu.db` → `./data/siyu.keys.json`), so each database keeps the keys its phones and tombstones
 * were written with. Undefined for an in-memory database (nothing outlives the process) and for MySQL.
 */
export function localKeysFile(databaseUrl: string): string | undefined {
  if (!databaseUrl.startsWith('sqlite:')) return undefined;
  let p = databaseUrl.slice('sqlite:'.length);
  if (p.startsWith('//')) p = p.slice(2);
  if (!p || p === ':memory:') return undefined;
  const file = path.resolve(p);
  const base = path.basename(file).replace(/\.(db|sqlite3?)$/i, '');
  return path.join(path.dirname(file), `${base}.keys.json`);
}

function parseKeys(text: string): LocalKeys | undefined {
  try {
    const v = JSON.parse(text) as Partial<LocalKeys>;
    if (
      typeof v.dataKey === 'string' &&
      /^[0-9a-f]{64}$/.test(v.dataKey) &&
      typeof v.sessionSecret === 'string' &&
      v.sessionSecret.length >= 32
    ) {
      return { dataKey: v.dataKey, sessionSecret: v.sessionSecret };
    }
  } catch {
    /* reported below */
  }
  return undefined;
}

function readKeys(file: string, problems: Problem[]): LocalKeys | undefined {
  // Owner-only, like an SSH key: a copy of this file decrypts every stored phone number.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const keys = parseKeys(readFileSync(file, 'utf8'));
  // Never regenerate over a damaged file: data written with the old key would become unreadable for good.
  if (!keys)
    problems.push({
      path: 'security.dataKey',
      message: `${file} is not a valid keys file (expected {"dataKey": <64 hex>, "sessionSecret": …}); restore it or set security.dataKey`,
    });
  return keys;
}

/**
 * DESIGN §12: the keys kept in `file`, generated on first use. Written to a private temporary file and then
 * hard-linked into place, so two processes starting together on one data folder agree on one set of keys and
 * neither ever reads a half-written file.
 */
export function loadOrCreateLocalKeys(file: string, problems: Problem[]): LocalKeys | undefined {
  try {
    return readKeys(file, problems);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      problems.push({
        path: 'security.dataKey',
        message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      });
      return undefined;
    }
  }
  const keys: LocalKeys = { dataKey: randomBytes(32).toString('hex'), sessionSecret: randomBytes(32).toString('hex') };
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(tmp, file);
      return keys;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      return readKeys(file, problems);
    }
  } catch (e) {
    problems.push({
      path: 'security.dataKey',
      message: `cannot create ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    });
    return undefined;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
  }
}
