import { Table, TableIndex, TableUnique, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { MYSQL_NOW_DEFAULT, SQLITE_NOW, dialectFor, type Dialect } from '../src/storage/dialect';

/**
 * The one place where column types differ between SQLite and MySQL/MariaDB/TiDB (DESIGN §3).
 *
 * - ids: `bigint` auto-increment on MySQL; SQLite only allows AUTOINCREMENT on `integer PRIMARY KEY`.
 * - `key` columns hold identifiers WeChat treats as case-sensitive (openids, external_userids, dedupe keys):
 *   `utf8mb4_bin` on MySQL so `oAbc` and `oabc` never collide in a unique key; SQLite compares binary already.
 * - `str`/`text` columns hold human text: utf8mb4 with a case-insensitive collation on MySQL.
 * - JSON is stored as text on both (TypeORM `simple-json`): MariaDB's JSON is longtext anyway and text keeps
 *   the schema identical on TiDB. `medium` payloads (raw callbacks, event payloads) need mediumtext on MySQL.
 * - Timestamps are UTC `datetime(3)` on MySQL (sessions run with time_zone +00:00) and
 *   `YYYY-MM-DD HH:MM:SS.SSS` text in SQLite `datetime` columns, which is what TypeORM writes and reads.
 */
interface Opts {
  nullable?: boolean;
  default?: string | number | boolean;
}

const BIN = { charset: 'utf8mb4', collation: 'utf8mb4_bin' } as const;
const CI = { charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' } as const;

export function nowDefault(dialect: Dialect): string {
  return dialect === 'mysql' ? MYSQL_NOW_DEFAULT : SQLITE_NOW;
}

function literal(value: string | number | boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

/** Column builders bound to the dialect of the running migration. */
export function columnTypes(queryRunner: QueryRunner) {
  const d = dialectFor(queryRunner.connection).family;
  const mysql = d === 'mysql';
  const base = (name: string, o: Opts = {}): Pick<TableColumnOptions, 'name' | 'isNullable' | 'default'> => ({
    name,
    isNullable: o.nullable ?? false,
    default: literal(o.default),
  });
  return {
    dialect: d,
    /** bigint auto-increment primary key (string in JS). */
    id: (name = 'id'): TableColumnOptions => ({
      name,
      type: mysql ? 'bigint' : 'integer',
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    }),
    /** Case-sensitive identifier, `varchar(length)`; `primary` for client-generated keys (customers.id). */
    key: (name: string, length: number, o: Opts & { primary?: boolean } = {}): TableColumnOptions => ({
      ...base(name, o),
      type: 'varchar',
      length: String(length),
      isPrimary: o.primary ?? false,
      ...(mysql ? BIN : {}),
    }),
    /** Human text, `varchar(length)`. */
    str: (name: string, length: number, o: Opts = {}): TableColumnOptions => ({
      ...base(name, o),
      type: 'varchar',
      length: String(length),
      ...(mysql ? CI : {}),
    }),
    /** Unbounded text (64 KiB on MySQL; `medium` = 16 MiB). */
    text: (name: string, o: Opts & { medium?: boolean } = {}): TableColumnOptions => ({
      ...base(name, { nullable: o.nullable }),
      type: mysql && o.medium ? 'mediumtext' : 'text',
      ...(mysql ? CI : {}),
    }),
    /** JSON document stored as text (TypeORM `simple-json` in the entity). */
    json: (name: string, o: Opts & { medium?: boolean } = {}): TableColumnOptions => ({
      ...base(name, { nullable: o.nullable }),
      type: mysql && o.medium ? 'mediumtext' : 'text',
      ...(mysql ? BIN : {}),
    }),
    int: (name: string, o: Opts = {}): TableColumnOptions => ({ ...base(name, o), type: mysql ? 'int' : 'integer' }),
    bigint: (name: string, o: Opts = {}): TableColumnOptions => ({ ...base(name, o), type: 'bigint' }),
    /** IEEE double on both (SQLite stores it with REAL affinity). */
    double: (name: string, o: Opts = {}): TableColumnOptions => ({ ...base(name, o), type: 'double' }),
    /** BOOLEAN is tinyint(1) on MySQL and 0/1 on SQLite. */
    bool: (name: string, o: Opts = {}): TableColumnOptions => ({ ...base(name, o), type: 'boolean' }),
    /** UTC timestamp with milliseconds; `now: true` defaults to the current time. */
    time: (name: string, o: { nullable?: boolean; now?: boolean } = {}): TableColumnOptions => ({
      name,
      type: 'datetime',
      isNullable: o.nullable ?? false,
      ...(mysql ? { precision: 3 } : {}),
      ...(o.now ? { default: nowDefault(d) } : {}),
    }),
  };
}

export type ColumnTypes = ReturnType<typeof columnTypes>;

/** A table with named unique keys and indexes: `keys.unique` / `keys.index` map a key name to its columns. */
export function defineTable(
  name: string,
  columns: TableColumnOptions[],
  keys: { unique?: Record<string, string[]>; index?: Record<string, string[]> } = {},
): Table {
  return new Table({
    name,
    columns,
    uniques: Object.entries(keys.unique ?? {}).map(([n, columnNames]) => new TableUnique({ name: n, columnNames })),
    indices: Object.entries(keys.index ?? {}).map(([n, columnNames]) => new TableIndex({ name: n, columnNames })),
  });
}
