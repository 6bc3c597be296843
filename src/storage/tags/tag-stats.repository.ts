import type { DataSource } from 'typeorm';
import { dialectFor } from '../dialect';
import { type Db, select } from '../sql';
import type { BindingRecord } from './binding.repository';
import type { BindingStats } from './tag.types';

const n = (v: unknown): number => Number(v ?? 0);

/**
 * Counts for `GET /api/v1/tags/:id`, computed from the desired state and `remote_tag_state` in SQL.
 * WeCom targets follow `tags.wecomFanout` (every live relation, or each customer's newest).
 */
export async function bindingStats(ds: DataSource, b: BindingRecord, fanout: 'all' | 'newest'): Promise<BindingStats> {
  const remote = b.remoteTagId ?? '';
  const [targets, owed, marks] = await Promise.all([
    b.channel === 'oa' ? oaTargets(ds, b, remote) : wecomTargets(ds, b, remote, fanout),
    removalsOwed(ds, b, remote),
    select(
      ds,
      'SELECT SUM(CASE WHEN last_errcode IS NOT NULL THEN 1 ELSE 0 END) AS failed, SUM(CASE WHEN drifted = 1 THEN 1 ELSE 0 END) AS drifted FROM remote_tag_state WHERE channel = ? AND account = ? AND remote_tag_id = ?',
      [b.channel, b.account, remote],
    ),
  ]);
  return {
    desired: targets.desired,
    pushed: targets.pushed,
    pending: targets.pending + owed,
    failed: n(marks[0]?.failed),
    drifted: n(marks[0]?.drifted),
  };
}

const COUNTS = `SELECT COUNT(*) AS desired,
    SUM(CASE WHEN r.present = 1 THEN 1 ELSE 0 END) AS pushed,
    SUM(CASE WHEN (r.present IS NULL OR r.present = 0) AND r.last_errcode IS NULL THEN 1 ELSE 0 END) AS pending`;

async function oaTargets(
  db: Db,
  b: BindingRecord,
  remote: string,
): Promise<{ desired: number; pushed: number; pending: number }> {
  const rows = await select(
    db,
    `${COUNTS} FROM (
        SELECT DISTINCT i.value AS subject FROM customer_tags ct
          JOIN identities i ON i.customer_id = ct.customer_id AND i.type = 'oa_openid' AND i.scope = ?
          LEFT JOIN oa_subscriptions s ON s.app_id = i.scope AND s.openid = i.value
          WHERE ct.tag_id = ? AND (s.subscribed IS NULL OR s.subscribed = 1)
      ) d LEFT JOIN remote_tag_state r ON r.channel = 'oa' AND r.account = ? AND r.subject = d.subject AND r.remote_tag_id = ?`,
    [b.account, b.tagId, b.account, remote],
  );
  return { desired: n(rows[0]?.desired), pushed: n(rows[0]?.pushed), pending: n(rows[0]?.pending) };
}

async function wecomTargets(
  ds: DataSource,
  b: BindingRecord,
  remote: string,
  fanout: 'all' | 'newest',
): Promise<{ desired: number; pushed: number; pending: number }> {
  const subject = dialectFor(ds).concat('f.staff_userid', "'|'", 'f.external_userid');
  const t = (col: string): string => `COALESCE(${col}, '1970-01-01 00:00:00.000')`;
  const newest =
    fanout === 'newest'
      ? ` AND NOT EXISTS (SELECT 1 FROM wecom_follows f2 WHERE f2.corp_id = f.corp_id AND f2.customer_id = f.customer_id AND f2.deleted = 0
            AND (${t('f2.created_time')} > ${t('f.created_time')} OR (${t('f2.created_time')} = ${t('f.created_time')} AND f2.id > f.id)))`
      : '';
  const rows = await select(
    ds,
    `${COUNTS} FROM (
        SELECT DISTINCT ${subject} AS subject FROM customer_tags ct
          JOIN wecom_follows f ON f.customer_id = ct.customer_id AND f.corp_id = ? AND f.deleted = 0
          WHERE ct.tag_id = ?${newest}
      ) d LEFT JOIN remote_tag_state r ON r.channel = 'wecom' AND r.account = ? AND r.subject = d.subject AND r.remote_tag_id = ?`,
    [b.account, b.tagId, b.account, remote],
  );
  return { desired: n(rows[0]?.desired), pushed: n(rows[0]?.pushed), pending: n(rows[0]?.pending) };
}

/** Subjects holding the tag in WeChat (known to Siyu, not drift) whose customer no longer wants it. */
async function removalsOwed(db: Db, b: BindingRecord, remote: string): Promise<number> {
  const wanted =
    b.channel === 'oa'
      ? `EXISTS (SELECT 1 FROM identities i JOIN customer_tags ct ON ct.customer_id = i.customer_id AND ct.tag_id = ? WHERE i.type = 'oa_openid' AND i.scope = r.account AND i.value = r.subject)`
      : `EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = r.customer_id AND ct.tag_id = ?)`;
  const rows = await select(
    db,
    `SELECT COUNT(*) AS n FROM remote_tag_state r WHERE r.channel = ? AND r.account = ? AND r.remote_tag_id = ? AND r.present = 1 AND r.drifted = 0 AND NOT ${wanted}`,
    [b.channel, b.account, remote, b.tagId],
  );
  return n(rows[0]?.n);
}
