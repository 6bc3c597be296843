import mysql2 from 'mysql2/promise';

const COLUMNS = [
  'app_id',
  'openid',
  'unionid',
  'subscribed',
  'subscribe_time',
  'scene',
  'qr_scene',
  'qr_scene_str',
  'remark',
  'tagid_list',
  'created_at',
  'updated_at',
];

/**
 * The DESIGN §9 baseline: the same follower rows the sync stored (subscription fields plus the unionid), upserted
 * with mysql2 into one table with the same unique key, `INSERT … ON DUPLICATE KEY UPDATE` in batches. Only the
 * INSERT statements are timed; reading the rows back is not.
 */
export async function rawBaseline(url: string, batchSize = 1000): Promise<{ rows: number; ms: number }> {
  const conn = await mysql2.createConnection({
    uri: url,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  try {
    await conn.query('DROP TABLE IF EXISTS bench_raw_followers');
    await conn.query(`CREATE TABLE bench_raw_followers (
      id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
      app_id varchar(64) COLLATE utf8mb4_bin NOT NULL, openid varchar(64) COLLATE utf8mb4_bin NOT NULL, unionid varchar(64) COLLATE utf8mb4_bin NULL,
      subscribed tinyint NOT NULL, subscribe_time datetime(3) NULL, scene varchar(64) NULL, qr_scene varchar(64) NULL, qr_scene_str varchar(128) NULL,
      remark varchar(255) NULL, tagid_list text NULL, created_at datetime(3) NOT NULL, updated_at datetime(3) NOT NULL,
      UNIQUE KEY uq_raw_app_openid (app_id, openid)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    const tuple = `(${COLUMNS.map(() => '?').join(', ')})`;
    const update = COLUMNS.filter((c) => c !== 'app_id' && c !== 'openid' && c !== 'created_at')
      .map((c) => `${c} = VALUES(${c})`)
      .join(', ');
    let after = 0;
    let rows = 0;
    let ms = 0;
    for (;;) {
      const [page] = (await conn.query(
        `SELECT s.id, s.app_id, s.openid, u.value AS unionid, s.subscribed, s.subscribe_time, s.scene, s.qr_scene, s.qr_scene_str, s.remark, s.tagid_list
           FROM oa_subscriptions s LEFT JOIN identities u ON u.customer_id = s.customer_id AND u.type = 'unionid'
          WHERE s.id > ? ORDER BY s.id LIMIT 20000`,
        [after],
      )) as unknown as [Record<string, unknown>[]];
      if (page.length === 0) break;
      after = Number(page[page.length - 1]!.id);
      const now = new Date();
      for (let i = 0; i < page.length; i += batchSize) {
        const part = page.slice(i, i + batchSize);
        const params = part.flatMap((r) => [
          r.app_id,
          r.openid,
          r.unionid,
          r.subscribed,
          r.subscribe_time,
          r.scene,
          r.qr_scene,
          r.qr_scene_str,
          r.remark,
          r.tagid_list,
          now,
          now,
        ]);
        const t0 = performance.now();
        await conn.query(
          `INSERT INTO bench_raw_followers (${COLUMNS.join(', ')}) VALUES ${part.map(() => tuple).join(', ')} ON DUPLICATE KEY UPDATE ${update}`,
          params,
        );
        ms += performance.now() - t0;
        rows += part.length;
      }
    }
    return { rows, ms };
  } finally {
    await conn.end();
  }
}
