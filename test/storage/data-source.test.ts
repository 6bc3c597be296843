import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDataSource, openDatabase } from '../../src/storage/data-source';
import { dialectFor } from '../../src/storage/dialect';
import { parseDatabaseUrl, redactDatabaseUrl } from '../../src/storage/database-url';
import { StorageError } from '../../src/storage/errors';
import { migrationsApplied } from '../../src/storage/migrate';
import { uuidv7 } from '../../src/storage/ids';
import { testDialect, useTestDatabase } from '../helpers/describe-db';

describe('database URLs', () => {
  it('rejects anything but sqlite: and mysql://', () => {
    for (const url of ['postgres://u@h/db', 'sqlite:', 'mysql://host-only', 'mysql://:x']) {
      expect(() => createDataSource({ url })).toThrow(StorageError);
    }
  });

  it('parses SQLite paths and MySQL credentials', () => {
    expect(parseDatabaseUrl('sqlite:./data/siyu.db')).toEqual({ kind: 'sqlite', path: path.resolve('data/siyu.db') });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('mysql://ro%40t:p%3Ass@db.local:3307/siyu')).toEqual({
      kind: 'mysql',
      host: 'db.local',
      port: 3307,
      username: 'ro@t',
      password: 'p:ss',
      database: 'siyu',
    });
    expect(parseDatabaseUrl('mysql://root:@127.0.0.1/siyu')).toMatchObject({ port: 3306, password: '' });
    expect(redactDatabaseUrl('mysql://root:secret@h:3306/db')).toBe('mysql://root:***@h:3306/db');
  });
});

describe('openDatabase', () => {
  it('creates the SQLite folder, uses WAL and full sync, and migrates when asked', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'siyu-ds-'));
    const file = path.join(dir, 'nested', 'data', 'siyu.db');
    const ds = await openDatabase({ url: `sqlite:${file}` }, { migrate: true });
    try {
      expect(existsSync(file)).toBe(true);
      expect(dialectFor(ds).family === 'mysql').toBe(false);
      expect(await ds.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await ds.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
      expect(await migrationsApplied(ds)).toBe(true);
    } finally {
      await ds.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves the schema alone without migrate', async () => {
    const ds = await openDatabase({ url: 'sqlite::memory:' });
    try {
      expect(await migrationsApplied(ds)).toBe(false);
    } finally {
      await ds.destroy();
    }
  });
});

(testDialect === 'mysql' ? describe : describe.skip)('MySQL sessions', () => {
  const db = useTestDatabase();

  it('run in UTC with utf8mb4', async () => {
    expect(dialectFor(db.ds).family === 'mysql').toBe(true);
    const runner = db.ds.createQueryRunner();
    try {
      const [row] = (await runner.query('SELECT @@session.time_zone AS tz, @@character_set_connection AS cs')) as {
        tz: string;
        cs: string;
      }[];
      expect(row).toEqual({ tz: '+00:00', cs: 'utf8mb4' });
    } finally {
      await runner.release();
    }
  });
});

describe('uuidv7', () => {
  it('is a version 7 UUID ordered by time', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(a.slice(0, 13)).toBe('018bcfe5-6800');
  });
});
