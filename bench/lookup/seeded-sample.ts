import mysql2 from 'mysql2/promise';
import { LOOKUP_APP, openidOf, type Sample } from './seed-customers';

/**
 * The sample of an already seeded database (`--database` naming one a previous `--keep` run left behind): the
 * same every-100th customers `seedCustomers` returns, read back by their deterministic openids. Undefined when
 * the database holds fewer than `n` customers, so the caller seeds instead.
 */
export async function seededSample(url: string, n: number): Promise<Sample[] | undefined> {
  const conn = await mysql2.createConnection({ uri: url });
  try {
    const [[count]] = (await conn.query('SELECT COUNT(*) AS n FROM customers')) as unknown as [{ n: number }[]];
    if (Number(count?.n ?? 0) < n) return undefined;
    const sample: Sample[] = [];
    for (let from = 0; from < n; from += 100 * 1000) {
      const openids: string[] = [];
      for (let i = from; i < Math.min(n, from + 100 * 1000); i += 100) openids.push(openidOf(i));
      const [rows] = (await conn.query(
        "SELECT customer_id AS id, value AS openid FROM identities WHERE type = 'oa_openid' AND scope = ? AND value IN (?)",
        [LOOKUP_APP, openids],
      )) as unknown as [Sample[]];
      sample.push(...rows.map((r) => ({ id: String(r.id), openid: String(r.openid) })));
    }
    return sample.length > 0 ? sample : undefined;
  } finally {
    await conn.end();
  }
}
