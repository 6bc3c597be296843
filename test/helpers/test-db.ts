import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql2 from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/storage/data-source';
import { parseDatabaseUrl } from '../../src/storage/database-url';

export interface TestDatabase {
  url: string;
  ds: DataSource;
  /** Closes the DataSource and deletes the database (file or MySQL schema). */
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file: a temporary SQLite file, or — with TEST_DATABASE_URL=mysql://… — a new
 * `siyu_t_<random>` database on that server. Migrated up unless `migrate: false`.
 */
export async function createTestDatabase(opts: { migrate?: boolean; poolSize?: number } = {}): Promise<TestDatabase> {
  const migrate = opts.migrate ?? true;
  const base = process.env.TEST_DATABASE_URL;
  if (!base || base.startsWith('sqlite:')) {
    const dir = await mkdtemp(path.join(tmpdir(), 'siyu-test-'));
    const url = `sqlite:${path.join(dir, 'siyu.db')}`;
    const ds = await openDatabase({ url }, { migrate });
    return {
      url,
      ds,
      drop: async () => {
        if (ds.isInitialized) await ds.destroy();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const target = parseDatabaseUrl(base);
  if (target.kind !== 'mysql') throw new Error('TEST_DATABASE_URL must be sqlite:… or mysql://…');
  const name = `siyu_t_${randomBytes(6).toString('hex')}`;
  const admin = await mysql2.createConnection({
    host: target.host,
    port: target.port,
    user: target.username,
    password: target.password,
  });
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const ds = await openDatabase({ url, poolSize: opts.poolSize ?? 5 }, { migrate });
  return {
    url,
    ds,
    drop: async () => {
      if (ds.isInitialized) await ds.destroy();
      const conn = await mysql2.createConnection({
        host: target.host,
        port: target.port,
        user: target.username,
        password: target.password,
      });
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

/** Empties every table except the migrations bookkeeping, for isolation between tests of one file. */
export async function clearTables(ds: DataSource): Promise<void> {
  for (const meta of ds.entityMetadatas) {
    await ds.query(`DELETE FROM ${ds.driver.escape(meta.tableName)}`);
  }
}
