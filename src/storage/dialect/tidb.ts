import type { SqlDialect } from './dialect';
import { mysqlFamily } from './mysql';

/** TiDB parses SKIP LOCKED but its planner mishandles it (apache/airflow#71250): claims use plain FOR UPDATE. */
export const tidbDialect: SqlDialect = mysqlFamily('tidb', { skipLocked: false });
