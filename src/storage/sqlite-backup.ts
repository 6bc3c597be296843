import { rmSync, renameSync, statSync } from 'node:fs';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { openDatabase } from './data-source';

/** The part of better-sqlite3's Database the backup uses (the package ships no types). */
interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}
interface BackupConnection {
  backup(dest: string, opts: { progress: (p: BackupProgress) => number }): Promise<BackupProgress>;
}

export interface SqliteBackupResult {
  pages: number;
  bytes: number;
}

/**
 * Copies a live SQLite database to `dest` through SQLite's online backup API (better-sqlite3 `backup`), on a
 * connection of its own: in WAL mode a backup step is one read transaction, so the copy is a consistent snapshot
 * while the gateway goes on writing (readers never block the writer). After the first step the rest is copied in
 * one step: a step that sees another connection's write since the previous one restarts the backup, and with
 * small steps a busy gateway could keep restarting it. The copy is written beside `dest` and renamed once it
 * passes `quick_check`, so a failed backup never leaves a half-written file under the name asked for.
 * https://www.sqlite.org/backup.html · https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md
 */
export async function backupSqlite(source: string, dest: string): Promise<SqliteBackupResult> {
  const partial = `${dest}.partial`;
  rmSync(partial, { force: true });
  const ds = await openDatabase({ url: `sqlite:${source}` });
  try {
    const conn = (ds.driver as BetterSqlite3Driver).databaseConnection as BackupConnection;
    const done = await conn.backup(partial, { progress: ({ remainingPages }) => Math.max(remainingPages, 1) });
    const copy = await openDatabase({ url: `sqlite:${partial}` });
    try {
      const [check] = (await copy.query('PRAGMA quick_check')) as { quick_check: string }[];
      if (check?.quick_check !== 'ok') throw new Error(`the copy failed quick_check: ${check?.quick_check}`);
    } finally {
      await copy.destroy();
    }
    renameSync(partial, dest);
    return { pages: done.totalPages, bytes: statSync(dest).size };
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  } finally {
    await ds.destroy();
  }
}
