import { createReadStream } from 'fs';
import { createInterface } from 'readline';
import mysql2 from 'mysql2/promise';

/**
 * The DESIGN §9 baseline for an import: the same CSV rows inserted with mysql2 into one table (every column, the
 * same unique key the import's rows have), multi-row INSERTs of `batchSize`. Only the INSERT statements are timed;
 * reading the file is not.
 */
export async function rawInsert(
  url: string,
  file: string,
  table: { name: string; columns: string; unique: string },
  batchSize = 1000,
): Promise<{ rows: number; ms: number }> {
  const conn = await mysql2.createConnection({ uri: url, timezone: 'Z' });
  try {
    await conn.query(`DROP TABLE IF EXISTS ${table.name}`);
    await conn.query(
      `CREATE TABLE ${table.name} (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, ${table.columns}, UNIQUE KEY uq_${table.name} (${table.unique}))
         DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    );
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    let header: string[] | undefined;
    let batch: string[][] = [];
    let rows = 0;
    let ms = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const tuple = `(${header!.map(() => '?').join(', ')})`;
      const sql = `INSERT INTO ${table.name} (${header!.join(', ')}) VALUES ${batch.map(() => tuple).join(', ')}`;
      const params = batch.flatMap((r) => r.map((v) => (v === '' ? null : v)));
      const t0 = performance.now();
      await conn.query(sql, params);
      ms += performance.now() - t0;
      rows += batch.length;
      batch = [];
    };
    for await (const line of lines) {
      if (!header) {
        header = line.split(',');
        continue;
      }
      if (line === '') continue;
      batch.push(line.split(','));
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    return { rows, ms };
  } finally {
    await conn.end();
  }
}
