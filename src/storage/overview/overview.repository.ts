import type { OffsetSpan } from '../offset-span';
import type { LatestSync, OverviewChannel } from './overview.types';
import { type BindingRecord, bindingColumns, toBinding } from '../tags/binding.repository';
import { dialectFor } from '../dialect';
import { type Db, fromDbTime, idString, select } from '../sql';

/** Channels of the overview's `customers.byChannel`, as `GET /api/v1/customers?channel=` reads them. */
export const OVERVIEW_CHANNELS = ['oa', 'mp', 'h5', 'wecom', 'pay'] as const satisfies readonly OverviewChannel[];

const CHANNEL_IDENTITY: Record<Exclude<OverviewChannel, 'pay'>, string> = {
  oa: 'oa_openid',
  mp: 'mp_openid',
  h5: 'h5_openid',
  wecom: 'wecom_external_userid',
};

const n = (v: unknown): number => Number(v ?? 0);

/** Active customers, and per channel those holding one of its identities (`pay`: a transaction). */
export async function customerCounts(db: Db): Promise<{ total: number; byChannel: Record<OverviewChannel, number> }> {
  const types = Object.values(CHANNEL_IDENTITY);
  const [total, byType, payers] = await Promise.all([
    select(db, "SELECT COUNT(*) AS n FROM customers WHERE status = 'active'"),
    select(
      db,
      `SELECT i.type, COUNT(DISTINCT i.customer_id) AS n FROM identities i JOIN customers c ON c.id = i.customer_id AND c.status = 'active'
        WHERE i.type IN (${types.map(() => '?').join(', ')}) GROUP BY i.type`,
      types,
    ),
    select(
      db,
      // The WeChat Pay channel: orders imported from other systems (DESIGN §11) count in RFM, not here.
      "SELECT COUNT(DISTINCT t.customer_id) AS n FROM transactions t JOIN customers c ON c.id = t.customer_id AND c.status = 'active' WHERE t.source = 'wechat_pay'",
    ),
  ]);
  const perType = new Map(byType.map((r) => [String(r.type), n(r.n)]));
  const byChannel = { pay: n(payers[0]?.n) } as Record<OverviewChannel, number>;
  for (const [channel, type] of Object.entries(CHANNEL_IDENTITY))
    byChannel[channel as OverviewChannel] = perType.get(type) ?? 0;
  return { total: n(total[0]?.n), byChannel };
}

/** Identity rows per type (a merge moves identities to the survivor and an erasure deletes them). */
export async function identityCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await select(db, 'SELECT type, COUNT(*) AS n FROM identities GROUP BY type ORDER BY type'))
    out[String(r.type)] = n(r.n);
  return out;
}

/** Rows per status of a queue table, zero for the statuses given and absent. */
export async function statusCounts(
  db: Db,
  table: 'outbox' | 'inbox',
  statuses: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = Object.fromEntries(statuses.map((s) => [s, 0]));
  for (const r of await select(db, `SELECT status, COUNT(*) AS n FROM ${table} GROUP BY status`))
    out[String(r.status)] = n(r.n);
  return out;
}

/** The newest run of every (account, resource) pair. */
export async function latestSyncs(db: Db): Promise<LatestSync[]> {
  const rows = await select(
    db,
    `SELECT s.id, s.account, s.resource, s.status, s.processed, s.total, s.started_at, s.finished_at, s.error FROM sync_runs s
      JOIN (SELECT MAX(id) AS id FROM sync_runs GROUP BY account, resource) m ON m.id = s.id ORDER BY s.account, s.resource`,
  );
  return rows.map((r) => ({
    id: idString(r.id),
    accountId: String(r.account),
    resource: String(r.resource),
    status: String(r.status),
    processed: n(r.processed),
    total: r.total === null || r.total === undefined ? null : n(r.total),
    startedAt: fromDbTime(r.started_at)!.toISOString(),
    finishedAt: fromDbTime(r.finished_at)?.toISOString() ?? null,
    error: (r.error as string | null) ?? null,
  }));
}

/** Bindings of catalog tags that are not deleted, with the tag's name, by tag name. */
export async function liveBindings(db: Db): Promise<(BindingRecord & { tagName: string })[]> {
  const rows = await select(
    db,
    `SELECT ${bindingColumns('b')}, t.name AS tag_name
      FROM tag_bindings b JOIN tags t ON t.id = b.tag_id WHERE t.deleted_at IS NULL ORDER BY t.name, b.id`,
  );
  return rows.map((r) => ({ ...toBinding(r), tagName: String(r.tag_name) }));
}

/**
 * Where a customer was gained or lost, as (customer, UTC time) sources: the timeline has every callback, the
 * state tables also hold what full syncs found (syncs write no timeline). A sync that finds a follower gone
 * stamps the time it noticed.
 */
const SOURCES: { kind: 'new' | 'lost'; src: 'oa' | 'wecom'; from: string; time: string; where: string }[] = [
  { kind: 'new', src: 'oa', from: 'events', time: 'occurred_at', where: "type = 'oa.subscribe'" },
  { kind: 'new', src: 'oa', from: 'oa_subscriptions', time: 'subscribe_time', where: '1 = 1' },
  { kind: 'new', src: 'wecom', from: 'events', time: 'occurred_at', where: "type = 'wecom.follow_added'" },
  { kind: 'new', src: 'wecom', from: 'wecom_follows', time: 'created_time', where: '1 = 1' },
  { kind: 'lost', src: 'oa', from: 'events', time: 'occurred_at', where: "type = 'oa.unsubscribe'" },
  { kind: 'lost', src: 'oa', from: 'oa_subscriptions', time: 'unsubscribe_time', where: 'subscribed = 0' },
  // A relation a transfer moved, or one of a member who left, is not a lost customer (DESIGN §10.3).
  {
    kind: 'lost',
    src: 'wecom',
    from: 'events',
    time: 'occurred_at',
    where: "type = 'wecom.follow_removed' AND payload NOT LIKE '%DELETE_BY_TRANSFER%'",
  },
  {
    kind: 'lost',
    src: 'wecom',
    from: 'wecom_follows',
    time: 'deleted_at',
    where:
      "deleted = 1 AND end_reason IS NULL AND staff_userid NOT IN (SELECT s.userid FROM wecom_staff s WHERE s.corp_id = wecom_follows.corp_id AND s.status = 'left')",
  },
];

export interface DailyChange {
  date: string;
  kind: 'new' | 'lost';
  /** `all` = distinct customers over both channels. */
  src: 'all' | 'oa' | 'wecom';
  n: number;
}

/**
 * New and lost customers per local day, counted in SQL: each (kind, channel, customer, day) once however many
 * accounts or relations it came through (UNION removes the duplicates), then counted per day and channel, and
 * per day over both channels (a customer who followed the OA and was added in WeCom the same day is one new
 * customer). The local day is the UTC time shifted by the zone's offset, per span of constant offset.
 */
export async function dailyChanges(db: Db, spans: readonly OffsetSpan[]): Promise<DailyChange[]> {
  const dialect = dialectFor(db);
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const span of spans) {
    for (const s of SOURCES) {
      parts.push(
        `SELECT '${s.kind}' AS kind, '${s.src}' AS src, customer_id, ${dialect.localDate(s.time, span.offsetMinutes)} AS d FROM ${s.from}
          WHERE ${s.where} AND customer_id IS NOT NULL AND ${s.time} >= ? AND ${s.time} < ?`,
      );
      params.push(new Date(span.from), new Date(span.to));
    }
  }
  const rows = await select(
    db,
    `WITH p AS (${parts.join('\nUNION ')})
      SELECT d, kind, 'all' AS src, COUNT(DISTINCT customer_id) AS n FROM p GROUP BY d, kind
      UNION ALL SELECT d, kind, src, COUNT(*) AS n FROM p GROUP BY d, kind, src`,
    params,
  );
  return rows.map((r) => ({
    date: String(r.d),
    kind: r.kind === 'lost' ? 'lost' : 'new',
    src: r.src === 'oa' || r.src === 'wecom' ? r.src : 'all',
    n: n(r.n),
  }));
}
