import type { OffsetSpan } from '../offset-span';
import { dialectFor } from '../dialect';
import { type Db, fromDbTime, select } from '../sql';

export interface ChannelDayCount {
  date: string;
  kind: 'new' | 'returning' | 'lost';
  n: number;
}

/**
 * A channel's activity per local day (DESIGN §10.2), counted in SQL: distinct customers per (day, kind), the local
 * day being the UTC time shifted by the zone's offset, per span of constant offset.
 */
export async function channelDailyCounts(
  db: Db,
  channelId: string,
  spans: readonly OffsetSpan[],
): Promise<ChannelDayCount[]> {
  const dialect = dialectFor(db);
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const span of spans) {
    parts.push(
      `SELECT kind, customer_id, ${dialect.localDate('at', span.offsetMinutes)} AS d FROM channel_activity
        WHERE channel_id = ? AND at >= ? AND at < ?`,
    );
    params.push(channelId, new Date(span.from), new Date(span.to));
  }
  const rows = await select(
    db,
    `SELECT d, kind, COUNT(DISTINCT customer_id) AS n FROM (${parts.join('\nUNION ALL ')}) p GROUP BY d, kind`,
    params,
  );
  return rows.map((r) => ({
    date: String(r.d),
    kind: r.kind === 'lost' ? 'lost' : r.kind === 'returning' ? 'returning' : 'new',
    n: Number(r.n ?? 0),
  }));
}

/**
 * N-day retention of the customers the channel first brought in [from, to): of those whose first touch is at least
 * N days old at `now`, the share with no loss within N days of it. Null when nobody is old enough yet.
 */
export async function channelRetention(
  db: Db,
  channelId: string,
  window: { from: Date; to: Date },
  days: readonly number[],
  now: Date,
): Promise<Map<number, number | null>> {
  const dialect = dialectFor(db);
  const columns: string[] = [];
  const head: unknown[] = [];
  for (const n of days) {
    const ripe = new Date(now.getTime() - n * 86_400_000);
    columns.push(`SUM(CASE WHEN a.at <= ? THEN 1 ELSE 0 END) AS e${n}`);
    columns.push(`SUM(CASE WHEN a.at <= ? AND NOT EXISTS (SELECT 1 FROM channel_activity l
        WHERE l.channel_id = a.channel_id AND l.customer_id = a.customer_id AND l.kind = 'lost'
          AND l.at >= a.at AND l.at < ${dialect.addDays('a.at', n)}) THEN 1 ELSE 0 END) AS r${n}`);
    head.push(ripe, ripe);
  }
  const [row] = await select(
    db,
    `SELECT ${columns.join(', ')} FROM channel_activity a WHERE a.channel_id = ? AND a.kind = 'new' AND a.at >= ? AND a.at < ?`,
    [...head, channelId, window.from, window.to],
  );
  const out = new Map<number, number | null>();
  for (const n of days) {
    const eligible = Number(row?.[`e${n}`] ?? 0);
    out.set(n, eligible > 0 ? Math.round((Number(row?.[`r${n}`] ?? 0) / eligible) * 10_000) / 10_000 : null);
  }
  return out;
}

/** Welcome-message outcomes of the codes of adds in [from, to), per status. */
export async function welcomeOutcomes(
  db: Db,
  channelId: string,
  window: { from: Date; to: Date },
): Promise<Record<string, number>> {
  const rows = await select(
    db,
    'SELECT status, COUNT(*) AS n FROM welcome_sends WHERE channel_id = ? AND event_at >= ? AND event_at < ? GROUP BY status',
    [channelId, window.from, window.to],
  );
  return Object.fromEntries(rows.map((r) => [String(r.status), Number(r.n ?? 0)]));
}

export interface ChannelCustomerRow {
  customerId: string;
  firstAt: Date;
  lastAt: Date;
  touches: number;
}

/** The customers a channel brought, newest first, keyset-paged by (first_at, customer_id). */
export async function channelCustomers(
  db: Db,
  channelId: string,
  limit: number,
  before?: { firstAt: Date; customerId: string },
): Promise<ChannelCustomerRow[]> {
  const rows = await select(
    db,
    `SELECT cc.customer_id, cc.first_at, cc.last_at, cc.touches FROM customer_channels cc
      JOIN customers c ON c.id = cc.customer_id AND c.status = 'active'
      WHERE cc.channel_id = ?${before ? ' AND (cc.first_at < ? OR (cc.first_at = ? AND cc.customer_id < ?))' : ''}
      ORDER BY cc.first_at DESC, cc.customer_id DESC LIMIT ${Math.trunc(limit)}`,
    before ? [channelId, before.firstAt, before.firstAt, before.customerId] : [channelId],
  );
  return rows.map((r) => ({
    customerId: String(r.customer_id),
    firstAt: fromDbTime(r.first_at)!,
    lastAt: fromDbTime(r.last_at)!,
    touches: Number(r.touches ?? 0),
  }));
}

/** How many live customers a channel brought. */
export async function channelCustomerCount(db: Db, channelId: string): Promise<number> {
  const [r] = await select(
    db,
    `SELECT COUNT(*) AS n FROM customer_channels cc JOIN customers c ON c.id = cc.customer_id AND c.status = 'active'
      WHERE cc.channel_id = ?`,
    [channelId],
  );
  return Number(r?.n ?? 0);
}
