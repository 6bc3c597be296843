import type { EntitySchemaColumnOptions, ValueTransformer } from 'typeorm';
import { SQLITE_NOW } from '../dialect';

/**
 * Entity column shapes matching migrations/column-types.ts. bigint ids come back as strings on MySQL
 * (mysql2 bigNumberStrings) and as numbers on SQLite; the transformer makes them strings on both.
 * Counters and amounts in fen stay far below 2^53, so they are numbers on both.
 */
const asString: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => (v === null || v === undefined ? v : String(v)),
};
const asNumber: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => (v === null || v === undefined ? v : Number(v)),
};

type Col = EntitySchemaColumnOptions;
type Def = string | number | boolean;

export const col = {
  id: (): Col => ({ name: 'id', type: 'bigint', primary: true, generated: 'increment', transformer: asString }),
  /** Reference to a bigint id (string in JS). */
  ref: (name: string, nullable = false): Col => ({ name, type: 'bigint', nullable, transformer: asString }),
  /** varchar identifier (binary collation on MySQL). */
  key: (name: string, length: number, o: { nullable?: boolean; default?: Def; primary?: boolean } = {}): Col => ({
    name,
    type: 'varchar',
    length,
    nullable: o.nullable ?? false,
    primary: o.primary ?? false,
    ...(o.default === undefined ? {} : { default: o.default }),
  }),
  str: (name: string, length: number, nullable = false): Col => ({ name, type: 'varchar', length, nullable }),
  text: (name: string, nullable = false): Col => ({ name, type: 'text', nullable }),
  json: (name: string, nullable = false): Col => ({ name, type: 'simple-json', nullable }),
  int: (name: string, o: { nullable?: boolean; default?: number } = {}): Col => ({
    name,
    type: 'int',
    nullable: o.nullable ?? false,
    ...(o.default === undefined ? {} : { default: o.default }),
  }),
  /** bigint counter or amount in fen (number in JS). */
  count: (name: string, o: { nullable?: boolean; default?: number } = {}): Col => ({
    name,
    type: 'bigint',
    nullable: o.nullable ?? false,
    transformer: asNumber,
    ...(o.default === undefined ? {} : { default: o.default }),
  }),
  /** IEEE double (an attribute's number value). */
  double: (name: string, nullable = false): Col => ({ name, type: 'double', nullable, transformer: asNumber }),
  bool: (name: string, def?: boolean): Col => ({
    name,
    type: 'boolean',
    ...(def === undefined ? {} : { default: def }),
  }),
  time: (name: string, nullable = false): Col => ({ name, type: 'datetime', precision: 3, nullable }),
  /**
   * A timestamp defaulting to now. On MySQL inserts send DEFAULT (the migration's CURRENT_TIMESTAMP(3));
   * SQLite cannot, so TypeORM inlines this expression.
   */
  timeNow: (name: string): Col => ({ name, type: 'datetime', precision: 3, default: () => SQLITE_NOW }),
  createdAt: (name = 'created_at'): Col => ({ name, type: 'datetime', precision: 3, createDate: true }),
  updatedAt: (name = 'updated_at'): Col => ({ name, type: 'datetime', precision: 3, updateDate: true }),
};
