import { Writable } from 'stream';
import { pipeline } from 'stream/promises';
import { Readable } from 'stream';
import { CustomerExportService } from '../src/customers/customer-export.service';
import { identityScopes } from '../src/customers/customer-filter';
import { uuidv7 } from '../src/storage/ids';
import { arg, benchDatabase } from './shared/fresh-database';
import { RssWatch } from './shared/process-memory';
import { benchServices } from './shared/bench-app';

/**
 * A streamed export at scale (DESIGN §9, §11): `--customers` (default 1,000,000) customers with a Chinese name, an
 * OA openid and, for one in ten, a tag and a custom field, written into MySQL with multi-row INSERTs; then the
 * export service writes them all as CSV to a sink that counts bytes, as the route streams them to a client.
 * Prints the export's wall time, rows/s, bytes and this process's peak RSS over the export (target ≤ 300 MB).
 * Run (under the bench lock): npm run bench:export -- [--customers 1000000] [--format csv|ndjson] [--database mysql://…/<fresh>]
 */
async function main(): Promise<void> {
  const total = Number(arg('customers', '1000000'));
  const format = arg('format', 'csv') === 'ndjson' ? 'ndjson' : 'csv';
  const db = await benchDatabase(arg('database'));
  console.log(`export bench: ${total.toLocaleString('en')} customers → ${db.url.replace(/\/\/[^@]*@/, '//')}`);
  try {
    const app = await benchServices(db.url);
    await app.ds.query(
      `INSERT INTO attribute_definitions (attr_key, label_zh, label_en, type, options, pii, editable_by, created_by, created_at, updated_at)
         VALUES ('city', '城市', 'City', 'text', NULL, 0, '["operator"]', 'bench', NOW(3), NOW(3))`,
    );
    await app.ds.query(
      "INSERT INTO tags (name, group_id, created_at, updated_at) VALUES ('高价值', 0, NOW(3), NOW(3))",
    );
    const tagId = ((await app.ds.query('SELECT id FROM tags LIMIT 1')) as { id: string }[])[0]!.id;
    const t0 = performance.now();
    const base = Date.now() - total;
    for (let i = 0; i < total; i += 1000) {
      const n = Math.min(1000, total - i);
      const ids = Array.from({ length: n }, (_, j) => uuidv7(base + i + j));
      await app.ds.query(
        `INSERT INTO customers (id, status, display_name, created_at, updated_at) VALUES ${ids.map(() => "(?, 'active', ?, NOW(3), NOW(3))").join(', ')}`,
        ids.flatMap((id, j) => [id, `客户${i + j}`]),
      );
      await app.ds.query(
        `INSERT INTO identities (customer_id, type, scope, value, source, verified, created_at, updated_at) VALUES ${ids.map(() => "(?, 'oa_openid', 'wxbench', ?, 'bench', 0, NOW(3), NOW(3))").join(', ')}`,
        ids.flatMap((id, j) => [id, `o-bench-${i + j}`]),
      );
      const tenth = ids.filter((_, j) => (i + j) % 10 === 0);
      await app.ds.query(
        `INSERT INTO customer_tags (customer_id, tag_id, source, assigned_by, created_at) VALUES ${tenth.map(() => "(?, ?, 'manual', 'bench', NOW(3))").join(', ')}`,
        tenth.flatMap((id) => [id, tagId]),
      );
      await app.ds.query(
        `INSERT INTO customer_attributes (customer_id, attr_key, value_text, source, updated_by, updated_at) VALUES ${tenth.map(() => "(?, 'city', '上海', 'manual', 'bench', NOW(3))").join(', ')}`,
        tenth.flatMap((id) => [id]),
      );
    }
    console.log(
      `  seeded    ${total.toLocaleString('en')} customers in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const exports = new CustomerExportService({
      profiles: app.profiles,
      phoneCrypto: app.phoneCrypto,
      scopes: identityScopes(app.config),
    });
    let bytes = 0;
    let lines = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        for (const b of chunk) if (b === 0x0a) lines++;
        done();
      },
    });
    const watch = new RssWatch(process.pid);
    const t1 = performance.now();
    await pipeline(Readable.from(exports.stream(app.ds, { filter: {} }, format, 'admin')), sink);
    const ms = performance.now() - t1;
    const rss = watch.stop();
    const rows = format === 'csv' ? lines - 1 : lines;
    console.log(
      `  export    ${rows.toLocaleString('en')} rows (${(bytes / 1e6).toFixed(0)} MB ${format}) in ${(ms / 1000).toFixed(1)} s = ${(rows / (ms / 1000)).toFixed(0)} rows/s`,
    );
    console.log(
      `  memory    peak RSS ${rss.peakMb.toFixed(0)} MB${rss.kernelPeak ? '' : ' (sampled)'} ${rss.peakMb <= 300 ? '(≤ 300 MB met)' : '(over 300 MB)'}`,
    );
    await app.ds.destroy();
    process.exitCode = rows === total && rss.peakMb <= 300 ? 0 : 1;
  } finally {
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
