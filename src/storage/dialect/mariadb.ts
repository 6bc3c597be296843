import type { SqlDialect } from './dialect';
import { mysqlFamily, versionNumbers } from './mysql';

/**
 * MariaDB 10.6+: SKIP LOCKED from 10.6, `SET STATEMENT … FOR` for settings scoped to one statement
 * (https://mariadb.com/kb/en/set-statement/), and GET_LOCK takes fractional seconds.
 */
export function mariadbDialect(version: string): SqlDialect {
  const [major, minor] = versionNumbers(version);
  return mysqlFamily(
    'mariadb',
    { skipLocked: major > 10 || (major === 10 && minor >= 6) },
    {
      statementSettings: (settings) => {
        const list = Object.entries(settings).map(([name, value]) => `${name} = ${value}`);
        return list.length ? `SET STATEMENT ${list.join(', ')} FOR ` : '';
      },
      lockWaitSeconds: (ms) => ms / 1000,
    },
  );
}
