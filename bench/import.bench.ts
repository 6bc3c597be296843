import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { arg, benchDatabase } from './shared/fresh-database';
import { RssWatch } from './shared/process-memory';
import { CORP, CUSTOMER_HEADER, customerLine, OA1, OA2, ORDER_HEADER, orderLine, writeLines } from './imports/files';
import { rawInsert } from './imports/raw-baseline';
import { benchServices } from './shared/bench-app';

/**
 * Bulk imports at scale (DESIGN §9, §11): a CRM's customers CSV (default 1,000,000 rows: identities over two OAs,
 * one corp and the CRM source, an unverified phone, three custom fields) and its orders CSV (3 × as many rows)
 * imported into MySQL by the real import service, then in the same run the raw baseline — the same rows inserted
 * with mysql2 into one table each. Prints rows/s, wall time, the import's peak RSS, the baseline's rows/s and the
 * ratio. Targets: customers ratio ≥ 0.25, orders ratio ≥ 0.5, peak RSS ≤ 300 MB.
 * Run (under the bench lock): npm run bench:import -- [--rows 1000000] [--orders N] [--database mysql://…/<fresh>] [--keep]
 */
async function main(): Promise<void> {
  const rows = Number(arg('rows', '1000000'));
  const orders = Number(arg('orders', String(rows * 3)));
  const db = await benchDatabase(arg('database'));
  const dir = mkdtempSync(path.join(tmpdir(), 'siyu-bench-import-'));
  console.log(
    `import bench: ${rows.toLocaleString('en')} customers, ${orders.toLocaleString('en')} orders → ${db.url.replace(/\/\/[^@]*@/, '//')}`,
  );
  try {
    const customersCsv = path.join(dir, 'customers.csv');
    const ordersCsv = path.join(dir, 'orders.csv');
    await writeLines(customersCsv, CUSTOMER_HEADER, rows, customerLine);
    await writeLines(ordersCsv, ORDER_HEADER, orders, (j) => orderLine(j, rows));

    const app = await benchServices(db.url, {
      sources: [{ id: 'crm', name: 'CRM' }],
    });
    for (const d of [
      { key: 'level', label_zh: '等级', label_en: 'Level', type: 'enum', options: JSON.stringify(['金', '银', '铜']) },
      { key: 'points', label_zh: '积分', label_en: 'Points', type: 'number', options: null },
      { key: 'vip', label_zh: '贵宾', label_en: 'VIP', type: 'bool', options: null },
    ])
      await app.ds.query(
        `INSERT INTO attribute_definitions (attr_key, label_zh, label_en, type, options, pii, editable_by, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 0, '["operator"]', 'bench', NOW(3), NOW(3))`,
        [d.key, d.label_zh, d.label_en, d.type, d.options],
      );

    const run = async (file: string, kind: 'customers' | 'orders', mapping: Record<string, string>) => {
      const watch = new RssWatch(process.pid);
      const t0 = performance.now();
      let shown = 0;
      const { done } = await app.imports.start({
        kind,
        source: 'crm',
        format: 'csv',
        path: file,
        fileName: path.basename(file),
        mapping,
        createdBy: 'bench',
        onProgress: (p) => {
          if (p.percent >= shown + 10) {
            shown = p.percent - (p.percent % 10);
            process.stderr.write(`  ${kind} ${p.percent}% (${p.read.toLocaleString('en')} rows)\n`);
          }
        },
      });
      const end = await done;
      const ms = performance.now() - t0;
      return { end, ms, rss: watch.stop() };
    };

    const customers = await run(customersCsv, 'customers', {
      crm_id: 'identity.external_id',
      unionid: 'identity.unionid',
      oa1_openid: `identity.oa_openid:${OA1}`,
      oa2_openid: `identity.oa_openid:${OA2}`,
      external_userid: `identity.wecom_external_userid:${CORP}`,
      name: 'displayName',
      level: 'attribute.level',
      points: 'attribute.points',
      vip: 'attribute.vip',
    });
    const orderRun = await run(ordersCsv, 'orders', {
      crm_id: 'identity.external_id',
      order_no: 'orderNo',
      amount_fen: 'amountFen',
      paid_at: 'paidAt',
      refunded_fen: 'refundedFen',
    });
    await app.imports.stop();
    await app.ds.destroy();

    const rawCustomers = await rawInsert(db.url, customersCsv, {
      name: 'bench_raw_customers',
      columns: `crm_id varchar(64) COLLATE utf8mb4_bin NOT NULL, unionid varchar(64) COLLATE utf8mb4_bin NULL, oa1_openid varchar(64) COLLATE utf8mb4_bin NULL,
        oa2_openid varchar(64) COLLATE utf8mb4_bin NULL, external_userid varchar(64) COLLATE utf8mb4_bin NULL, phone varchar(32) NULL, name varchar(128) NULL,
        level varchar(16) NULL, points int NULL, vip varchar(8) NULL`,
      unique: 'crm_id',
    });
    const rawOrders = await rawInsert(db.url, ordersCsv, {
      name: 'bench_raw_orders',
      columns: `crm_id varchar(64) COLLATE utf8mb4_bin NOT NULL, order_no varchar(64) COLLATE utf8mb4_bin NOT NULL, amount_fen bigint NOT NULL,
        paid_at varchar(32) NOT NULL, refunded_fen bigint NOT NULL`,
      unique: 'order_no',
    });

    const report = (label: string, r: typeof customers, raw: { rows: number; ms: number }, target: number): boolean => {
      const rate = r.end.read / (r.ms / 1000);
      const rawRate = raw.rows / (raw.ms / 1000);
      const ratio = rate / rawRate;
      console.log(
        [
          `${label}: status ${r.end.status}, read ${r.end.read.toLocaleString('en')}, written ${r.end.written.toLocaleString('en')}, failed ${r.end.failed}`,
          `  import    ${(r.ms / 1000).toFixed(1)} s wall = ${rate.toFixed(0)} rows/s, peak RSS ${r.rss.peakMb.toFixed(0)} MB${r.rss.kernelPeak ? '' : ' (sampled)'}`,
          `  raw       ${raw.rows.toLocaleString('en')} rows in ${(raw.ms / 1000).toFixed(1)} s = ${rawRate.toFixed(0)} rows/s (mysql2, multi-row INSERT of 1000, one table)`,
          `  ratio     import/raw = ${ratio.toFixed(2)} ${ratio >= target ? `(target ≥ ${target} met)` : `(below target ${target})`}; RSS ${r.rss.peakMb <= 300 ? '≤ 300 MB met' : 'over 300 MB'}`,
        ].join('\n'),
      );
      return ratio >= target && r.rss.peakMb <= 300 && r.end.status === 'done' && r.end.failed === 0;
    };
    const ok = [report('customers', customers, rawCustomers, 0.25), report('orders', orderRun, rawOrders, 0.5)];
    process.exitCode = ok.every(Boolean) ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (process.argv.includes('--keep')) console.log(`kept database ${db.url}`);
    else await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
