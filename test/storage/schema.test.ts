import type { Table } from 'typeorm';
import { useTestDatabase } from '../helpers/describe-db';

/** Entities and migrations are written separately; this keeps them describing the same tables. */
describe('entities match the migrated schema', () => {
  const db = useTestDatabase();
  const tables = new Map<string, Table>();

  beforeAll(async () => {
    const runner = db.ds.createQueryRunner();
    try {
      for (const t of await runner.getTables(db.ds.entityMetadatas.map((m) => m.tableName))) tables.set(t.name, t);
    } finally {
      await runner.release();
    }
  });

  it('has a table for every entity and no entity without one', () => {
    const missing = db.ds.entityMetadatas.map((m) => m.tableName).filter((n) => !tables.has(n));
    expect(missing).toEqual([]);
  });

  it('has every entity column with the same nullability', () => {
    const problems: string[] = [];
    for (const meta of db.ds.entityMetadatas) {
      const table = tables.get(meta.tableName);
      for (const column of meta.columns) {
        const actual = table?.findColumnByName(column.databaseName);
        if (!actual) problems.push(`${meta.tableName}.${column.databaseName} missing`);
        else if (actual.isNullable !== column.isNullable)
          problems.push(`${meta.tableName}.${column.databaseName} nullable=${actual.isNullable}`);
      }
      const known = new Set(meta.columns.map((c) => c.databaseName));
      for (const c of table?.columns ?? [])
        if (!known.has(c.name)) problems.push(`${meta.tableName}.${c.name} not in entity`);
    }
    expect(problems).toEqual([]);
  });

  it('has every entity index and unique key, by name and columns', () => {
    const problems: string[] = [];
    for (const meta of db.ds.entityMetadatas) {
      const table = tables.get(meta.tableName);
      const actual = new Map<string, string>();
      for (const i of table?.indices ?? [])
        actual.set(i.name ?? '', `${i.isUnique ? 'unique' : 'index'}(${i.columnNames.join(',')})`);
      for (const u of table?.uniques ?? []) actual.set(u.name ?? '', `unique(${u.columnNames.join(',')})`);
      const expected = [
        ...meta.indices.map((i) => [
          i.name,
          `${i.isUnique ? 'unique' : 'index'}(${i.columns.map((c) => c.databaseName).join(',')})`,
        ]),
        ...meta.uniques.map((u) => [u.name, `unique(${u.columns.map((c) => c.databaseName).join(',')})`]),
      ];
      for (const [name, shape] of expected) {
        if (actual.get(name ?? '') !== shape)
          problems.push(`${meta.tableName}: ${name} ${shape} vs ${actual.get(name ?? '') ?? 'missing'}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
