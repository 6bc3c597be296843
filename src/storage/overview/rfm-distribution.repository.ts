import { type Db, select } from '../sql';

import type { Bucket } from './overview.types';

/** Days since the last purchase, as the profile counts them (whole days elapsed, DESIGN §5 RFM). */
export const RECENCY_BUCKETS: readonly Bucket[] = [
  { key: '0-7', min: 0, max: 7 },
  { key: '8-30', min: 8, max: 30 },
  { key: '31-90', min: 31, max: 90 },
  { key: '91-180', min: 91, max: 180 },
  { key: '181-365', min: 181, max: 365 },
  { key: '>365', min: 366, max: null },
];

export const FREQUENCY_BUCKETS: readonly Bucket[] = [
  { key: '1', min: 1, max: 1 },
  { key: '2', min: 2, max: 2 },
  { key: '3-5', min: 3, max: 5 },
  { key: '6-10', min: 6, max: 10 },
  { key: '>10', min: 11, max: null },
];

/** Net spend in fen (paid minus refunded): ¥0–100, 100–500, 500–1,000, 1,000–5,000, 5,000–10,000, 10,000+. */
export const SPEND_BUCKETS: readonly Bucket[] = [
  { key: '0-9999', min: 0, max: 9_999 },
  { key: '10000-49999', min: 10_000, max: 49_999 },
  { key: '50000-99999', min: 50_000, max: 99_999 },
  { key: '100000-499999', min: 100_000, max: 499_999 },
  { key: '500000-999999', min: 500_000, max: 999_999 },
  { key: '>=1000000', min: 1_000_000, max: null },
];

const DAY_MS = 86_400_000;

/** `CASE` giving the index of the first bucket whose `test` holds, else the last index. */
function bucketCase(count: number, test: (i: number) => string): string {
  const whens = Array.from({ length: count - 1 }, (_, i) => `WHEN ${test(i)} THEN ${i}`);
  return `CASE ${whens.join(' ')} ELSE ${count - 1} END`;
}

/**
 * Purchases exactly as the segment rules and the profile count them: transactions in state SUCCESS or REFUND
 * with a success time, of active customers; spend = amount_total − refunded_total. One statement groups every
 * customer by (recency, frequency, spend) bucket index; the caller folds that into the heat map and histogram.
 */
export async function rfmCells(db: Db, now: Date): Promise<{ r: number; f: number; s: number; n: number }[]> {
  const params: unknown[] = [];
  // Whole days elapsed <= max  <=>  last_at > now - (max + 1) days.
  const recency = bucketCase(RECENCY_BUCKETS.length, (i) => {
    params.push(new Date(now.getTime() - (RECENCY_BUCKETS[i]!.max! + 1) * DAY_MS));
    return 'a.last_at > ?';
  });
  const frequency = bucketCase(FREQUENCY_BUCKETS.length, (i) => `a.orders <= ${FREQUENCY_BUCKETS[i]!.max!}`);
  const spend = bucketCase(SPEND_BUCKETS.length, (i) => `a.spend <= ${SPEND_BUCKETS[i]!.max!}`);
  const rows = await select(
    db,
    `SELECT ${recency} AS r, ${frequency} AS f, ${spend} AS s, COUNT(*) AS n FROM (
        SELECT t.customer_id, COUNT(*) AS orders, SUM(t.amount_total) - SUM(t.refunded_total) AS spend, MAX(t.success_time) AS last_at
          FROM transactions t JOIN customers c ON c.id = t.customer_id AND c.status = 'active'
          WHERE t.state IN ('SUCCESS', 'REFUND') AND t.success_time IS NOT NULL
          GROUP BY t.customer_id
      ) a GROUP BY r, f, s`,
    params,
  );
  return rows.map((x) => ({ r: Number(x.r), f: Number(x.f), s: Number(x.s), n: Number(x.n) }));
}

/** Active customers with no purchase counted above. */
export async function customersWithoutPurchase(db: Db): Promise<number> {
  const rows = await select(
    db,
    `SELECT COUNT(*) AS n FROM customers c WHERE c.status = 'active'
      AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = c.id AND t.state IN ('SUCCESS', 'REFUND') AND t.success_time IS NOT NULL)`,
  );
  return Number(rows[0]?.n ?? 0);
}
