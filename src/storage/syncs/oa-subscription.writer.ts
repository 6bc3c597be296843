import { writeRows } from '../driver/prepared-rows';
import { type GoneRelation, goneRelations } from '../channels/customer-channel.repository';
import { type Db, execute, excluded, q, type RowsStatement, select, toDbTime, upsertStatement } from '../sql';

const unix = (s: number | undefined): string | null =>
  typeof s === 'number' && s > 0 ? toDbTime(new Date(s * 1000)) : null;
const text = (v: string | number | undefined | null): string | null =>
  v === undefined || v === null || v === '' || v === 0 ? null : String(v);

/**
 * What a subscription row keeps of a user/info answer (wechat-api.md §2.2; the OA connector's UserInfoWire is
 * one): the fields after `subscribe` come only while the user is subscribed.
 */
export interface SubscriberInfo {
  openid: string;
  subscribe: number;
  subscribe_time?: number;
  subscribe_scene?: string;
  qr_scene?: number;
  qr_scene_str?: string;
  remark?: string;
  tagid_list?: number[];
}

/** The upsert's columns: each row below lists its values in this order. */
const COLUMNS = [
  'app_id',
  'openid',
  'customer_id',
  'subscribed',
  'subscribe_time',
  'unsubscribe_time',
  'scene',
  'qr_scene',
  'qr_scene_str',
  'remark',
  'tagid_list',
  'last_synced_run_id',
  'created_at',
  'updated_at',
];

/**
 * `oa_subscriptions` rows from user/info (wechat-api.md §2.2) in one multi-row upsert per batch. Every row
 * written is stamped with the run (`last_synced_run_id`) and `updated_at`, which is what end-of-run
 * unsubscribe marking reads.
 */
export async function upsertSubscriptions(
  db: Db,
  appId: string,
  users: readonly { info: SubscriberInfo; customerId: string }[],
  runId: string | null,
  now: Date,
): Promise<void> {
  // Key order: concurrent writers of these rows (another batch, a subscribe callback) lock them in one order.
  const sorted = [...users].sort((a, b) =>
    a.info.openid < b.info.openid ? -1 : a.info.openid > b.info.openid ? 1 : 0,
  );
  const at = toDbTime(now);
  const rows = sorted.map(({ info, customerId }) => {
    const subscribed = info.subscribe === 1;
    return [
      appId,
      info.openid,
      customerId,
      subscribed ? 1 : 0,
      subscribed ? unix(info.subscribe_time) : null,
      null,
      subscribed ? text(info.subscribe_scene) : null,
      subscribed ? text(info.qr_scene) : null,
      subscribed ? text(info.qr_scene_str) : null,
      subscribed ? (text(info.remark)?.slice(0, 255) ?? null) : null,
      subscribed ? JSON.stringify(info.tagid_list ?? []) : null,
      runId,
      at,
      at,
    ];
  });
  await writeRows(db, subscriptionsUpsert(db), rows, 1000);
}

function subscriptionsUpsert(db: Db): RowsStatement {
  // A follower gone between user/get and batchget comes back with subscribe 0 and nothing else: keep what was known.
  const keep = (c: string) =>
    `CASE WHEN ${excluded(db, 'subscribed')} = 1 THEN ${excluded(db, c)} ELSE ${q(db, c)} END`;
  return upsertStatement(db, 'oa_subscriptions', COLUMNS, {
    conflict: ['app_id', 'openid'],
    update: {
      customer_id: excluded(db, 'customer_id'),
      subscribe_time: keep('subscribe_time'),
      unsubscribe_time: `CASE WHEN ${excluded(db, 'subscribed')} = 1 THEN NULL WHEN ${q(db, 'subscribed')} = 1 THEN ${excluded(db, 'updated_at')} ELSE ${q(db, 'unsubscribe_time')} END`,
      scene: keep('scene'),
      qr_scene: keep('qr_scene'),
      qr_scene_str: keep('qr_scene_str'),
      remark: keep('remark'),
      tagid_list: keep('tagid_list'),
      // Last on MySQL: ON DUPLICATE KEY UPDATE assigns left to right, and the CASEs above read the old value.
      subscribed: excluded(db, 'subscribed'),
      last_synced_run_id: `COALESCE(${excluded(db, 'last_synced_run_id')}, ${q(db, 'last_synced_run_id')})`,
      updated_at: excluded(db, 'updated_at'),
    },
  });
}

/**
 * End of a full run: followers of this app the run never saw and nobody touched since it started have
 * unfollowed (a subscribe callback applied during the run moves `updated_at` past the start and is kept).
 */
export async function markUnseenUnsubscribed(
  db: Db,
  appId: string,
  runId: string,
  startedAt: Date,
  now: Date,
): Promise<{ marked: number; gone: GoneRelation[] }> {
  const { affected } = await execute(
    db,
    `UPDATE oa_subscriptions SET subscribed = 0, unsubscribe_time = ?, updated_at = ?
      WHERE app_id = ? AND subscribed = 1 AND (last_synced_run_id IS NULL OR last_synced_run_id <> ?) AND updated_at < ?`,
    [now, now, appId, runId, startedAt],
  );
  if (affected === 0) return { marked: 0, gone: [] };
  // The rows this statement marked (run it in a transaction with what uses them).
  const rows = await select(
    db,
    'SELECT id, customer_id FROM oa_subscriptions WHERE app_id = ? AND subscribed = 0 AND unsubscribe_time = ? AND updated_at = ? AND customer_id IS NOT NULL',
    [appId, now, now],
  );
  return { marked: affected, gone: goneRelations('oa_subscriptions', rows, now) };
}
