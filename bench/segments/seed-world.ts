import mysql2 from 'mysql2/promise';
import { WORLD_COLUMNS, worldBlock, type WorldBlock, type WorldShape } from './world';

/** Customers per block; two blocks are in flight at once so drawing rows and InnoDB's inserts overlap. */
const BLOCK = 5_000;
/** Rows per INSERT: a block's events (~25,000 rows) stay well under max_allowed_packet in four statements. */
const ROWS_PER_STATEMENT = 8_000;

export type WorldCounts = Record<keyof WorldBlock, number>;

/**
 * Writes the segments world (world.ts) straight into a migrated MySQL database with multi-row INSERTs, one
 * transaction per block on one of two connections, then refreshes the optimizer statistics as a live database
 * would have them. Returns the rows written per table.
 */
export async function seedWorld(url: string, shape: WorldShape, log: (s: string) => void): Promise<WorldCounts> {
  const conns = await Promise.all([0, 1].map(() => mysql2.createConnection({ uri: url, timezone: 'Z' })));
  const counts = Object.fromEntries(Object.keys(WORLD_COLUMNS).map((t) => [t, 0])) as WorldCounts;
  const started = Date.now();
  try {
    const inFlight: Promise<void>[] = [];
    let next = 0;
    for (let from = 0; from < shape.customers; from += BLOCK) {
      const block = worldBlock(shape, from, Math.min(shape.customers, from + BLOCK));
      for (const t of Object.keys(counts) as (keyof WorldBlock)[]) counts[t] += block[t].length;
      const conn = conns[next % conns.length]!;
      const slot = next % conns.length;
      next++;
      await inFlight[slot];
      inFlight[slot] = writeBlock(conn, block);
      if ((from / BLOCK) % 40 === 39)
        log(
          `  seeded ${(from + BLOCK).toLocaleString('en')} customers (${((Date.now() - started) / 1000).toFixed(0)} s)`,
        );
    }
    await Promise.all(inFlight);
    await conns[0]!.query(`ANALYZE TABLE ${Object.keys(WORLD_COLUMNS).join(', ')}`);
    return counts;
  } finally {
    await Promise.all(conns.map((c) => c.end()));
  }
}

async function writeBlock(conn: mysql2.Connection, block: WorldBlock): Promise<void> {
  await conn.beginTransaction();
  for (const table of Object.keys(WORLD_COLUMNS) as (keyof WorldBlock)[]) {
    const rows = block[table];
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
      await conn.query(`INSERT INTO ${table} (${WORLD_COLUMNS[table].join(', ')}) VALUES ?`, [
        rows.slice(i, i + ROWS_PER_STATEMENT),
      ]);
  }
  await conn.commit();
}
