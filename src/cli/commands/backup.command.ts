import { chmodSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../main';
import { localKeysFile } from '../../../config/local-keys';
import { parseDatabaseUrl, redactDatabaseUrl } from '../../storage/database-url';
import { backupSqlite } from '../../storage/sqlite-backup';

/**
 * `siyu backup <file> [--force]` (DESIGN §12): a consistent copy of the SQLite database while the gateway runs,
 * through SQLite's online backup API. The generated keys file of a database without `security.dataKey` is copied
 * beside it (named for the copy, mode 0600): without it the copy's phones and tombstones cannot be read.
 *
 * MySQL is refused with the commands to use instead: a consistent MySQL backup belongs to the server's own tools
 * (mysqldump --single-transaction, or mariabackup / xtrabackup on the database host for large or Galera
 * databases), which run where the server is, need no password on this process's command line, and are what a
 * DBA restores from. Exit 0 done, 1 refused or failed, 2 usage.
 */
export const backupCommand: Command = async (args, io, config) => {
  const file = args.positionals[0];
  if (!file || args.positionals.length > 1) {
    io.err('usage: siyu backup <file> [--force]\n');
    return 2;
  }
  const cfg = config();
  const target = parseDatabaseUrl(cfg.database.url);
  if (target.kind === 'mysql') {
    io.err(mysqlAdvice(cfg.database.url, target));
    return 1;
  }
  if (target.path === ':memory:') {
    io.err('siyu backup: the database is in memory (sqlite::memory:); there is no file to back up\n');
    return 1;
  }
  if (!existsSync(target.path)) {
    io.err(`siyu backup: no database at ${target.path} (database.url ${cfg.database.url})\n`);
    return 1;
  }
  const dest = path.resolve(file);
  if (dest === target.path) {
    io.err('siyu backup: the backup file is the database itself\n');
    return 1;
  }
  const destKeys = localKeysFile(`sqlite:${dest}`);
  if (!args.flags.force && (existsSync(dest) || (destKeys && existsSync(destKeys)))) {
    io.err(`siyu backup: ${dest} already exists (--force replaces it)\n`);
    return 1;
  }
  const started = Date.now();
  const { pages, bytes } = await backupSqlite(target.path, dest);
  io.out(`backed up ${target.path} to ${dest}: ${pages} pages, ${bytes} bytes in ${Date.now() - started} ms\n`);
  const keys = localKeysFile(cfg.database.url);
  if (keys && destKeys && generatedKeyInUse(keys, cfg.security.dataKey)) {
    copyFileSync(keys, destKeys);
    chmodSync(destKeys, 0o600);
    io.out(
      `copied the generated keys ${keys} to ${destKeys}: the copy's phone numbers need them; store them apart from the backup\n`,
    );
  } else {
    io.out(
      'security.dataKey is not in the backup: restore with the same key, or stored phone numbers stay unreadable\n',
    );
  }
  io.out(`restore: stop the gateway, put the file at the database path (database.url), start it\n`);
  return 0;
};

/** Whether the database's data key is the generated one in its keys file (not one the config names). */
function generatedKeyInUse(file: string, dataKey: Buffer): boolean {
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { dataKey?: unknown }).dataKey === dataKey.toString('hex');
  } catch {
    return false;
  }
}

function mysqlAdvice(url: string, t: { host: string; port: number; username: string; database: string }): string {
  const login = `-h ${t.host} -P ${t.port} -u ${t.username || 'root'} -p`;
  return [
    `siyu backup: ${redactDatabaseUrl(url)} is MySQL; siyu backup copies SQLite only. Back MySQL up with its own tools:`,
    `  mysqldump ${login} --single-transaction --quick --hex-blob --routines --triggers ${t.database} > siyu.sql`,
    `  restore: mysql ${login} ${t.database} < siyu.sql`,
    `  large or Galera databases, on the database host: mariabackup --backup --target-dir=/backups/siyu -u ${t.username || 'root'} -p`,
    `    then mariabackup --prepare --target-dir=/backups/siyu (xtrabackup takes the same flags on MySQL)`,
    `Keep security.dataKey with the backup's records: without the same key stored phone numbers stay unreadable.`,
    '',
  ].join('\n');
}
