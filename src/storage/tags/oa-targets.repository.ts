import { type Db, select } from '../sql';
import { dialectFor } from '../dialect';

/**
 * Pins the index of a lookup by a list of customer ids: without statistics both planners prefer the prefix of
 * another index and scan a whole app's or corp's rows for every chunk (the dialect's `indexHint`).
 */
const customerIndexHint = (db: Db, index: string): string => dialectFor(db).indexHint(index);

/** An OA openid of a customer, with the desired and known remote state of one catalog tag (DESIGN §5). */
export interface OaTarget {
  customerId: string;
  openid: string;
  desired: boolean;
  /** Explicitly unsubscribed: batchtagging would fail the whole batch with 40003, so it is not pushed. */
  unsubscribed: boolean;
  present: boolean;
  lastErrcode: number | null;
}

function sql(where: string, n: number, hint: string): string {
  return `SELECT i.customer_id, i.value AS openid, s.subscribed, r.present, r.last_errcode,
      CASE WHEN EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = i.customer_id AND ct.tag_id = ?) THEN 1 ELSE 0 END AS desired
    FROM identities i ${hint}
    LEFT JOIN oa_subscriptions s ON s.app_id = i.scope AND s.openid = i.value
    LEFT JOIN remote_tag_state r ON r.channel = 'oa' AND r.account = i.scope AND r.subject = i.value AND r.remote_tag_id = ?
    WHERE i.type = 'oa_openid' AND i.scope = ? AND ${where} IN (${Array.from({ length: n }, () => '?').join(', ')})`;
}

async function targets(
  db: Db,
  column: string,
  tagId: string,
  appId: string,
  remoteTagId: string | null,
  keys: readonly string[],
): Promise<OaTarget[]> {
  const out: OaTarget[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const part = keys.slice(i, i + 500);
    // An unbound tag has no remote id yet: '' matches no remote_tag_state row, so nothing counts as present.
    const hint = column === 'i.customer_id' ? customerIndexHint(db, 'idx_identities_customer') : '';
    const rows = await select(db, sql(column, part.length, hint), [tagId, remoteTagId ?? '', appId, ...part]);
    for (const r of rows) {
      out.push({
        customerId: String(r.customer_id),
        openid: String(r.openid),
        desired: Number(r.desired) === 1,
        unsubscribed: r.subscribed !== null && r.subscribed !== undefined && Number(r.subscribed) === 0,
        present: Number(r.present ?? 0) === 1,
        lastErrcode: r.last_errcode === null || r.last_errcode === undefined ? null : Number(r.last_errcode),
      });
    }
  }
  return out;
}

export function oaTargetsOfCustomers(
  db: Db,
  tagId: string,
  appId: string,
  remoteTagId: string | null,
  customerIds: readonly string[],
): Promise<OaTarget[]> {
  return targets(db, 'i.customer_id', tagId, appId, remoteTagId, customerIds);
}

export function oaTargetsOfOpenids(
  db: Db,
  tagId: string,
  appId: string,
  remoteTagId: string | null,
  openids: readonly string[],
): Promise<OaTarget[]> {
  return targets(db, 'i.value', tagId, appId, remoteTagId, openids);
}

/** Needs batchtagging: wanted, not there, pushable, and not refused for good before. */
export const needsAdd = (t: OaTarget): boolean => t.desired && !t.present && !t.unsubscribed && t.lastErrcode === null;
/** Needs batchuntagging: there, and no source wants it any more (an unfollower holds nothing WeChat lets us change). */
export const needsRemove = (t: OaTarget): boolean => !t.desired && t.present && !t.unsubscribed;
