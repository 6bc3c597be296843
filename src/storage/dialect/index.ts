import type { DataSource, EntityManager } from 'typeorm';
import type { SqlDialect } from './dialect';
import { mariadbDialect } from './mariadb';
import { mysqlDialect } from './mysql';
import { serverFlavor, serverVersion } from './server';
import { sqliteDialect } from './sqlite';
import { tidbDialect } from './tidb';

export type { Dialect, DialectCapabilities, ServerFlavor, SqlDialect } from './dialect';
export { MYSQL_NOW, MYSQL_NOW_DEFAULT } from './mysql';
export { SQLITE_NOW } from './sqlite';
export { detectServer, serverFlavor, serverVersion } from './server';

const chosen = new WeakMap<DataSource, { version: string; dialect: SqlDialect }>();

/**
 * The dialect of the server behind `db`, chosen by its detected VERSION() (openDatabase detects it once; until
 * then the driver's version number alone decides).
 */
export function dialectFor(db: DataSource | EntityManager): SqlDialect {
  const ds = 'dataSource' in db ? db.dataSource : db;
  const version = serverVersion(ds);
  const known = chosen.get(ds);
  if (known && known.version === version) return known.dialect;
  const dialect = pick(ds, version);
  chosen.set(ds, { version, dialect });
  return dialect;
}

function pick(ds: DataSource, version: string): SqlDialect {
  switch (serverFlavor(ds)) {
    case 'sqlite':
      return sqliteDialect;
    case 'tidb':
      return tidbDialect;
    case 'mariadb':
      return mariadbDialect(version);
    case 'mysql':
      return mysqlDialect(version);
  }
}
