import { type Db, fromDbTime, idString, type Row, select } from '../sql';

const iso = (v: unknown): string | null => fromDbTime(v)?.toISOString() ?? null;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Every note on the customer, newest first (the profile shows 20). */
export async function allNotesOf(
  db: Db,
  customerId: string,
): Promise<{ id: string; text: string; author: string; authorKind: string; createdAt: string }[]> {
  const rows = await select(
    db,
    'SELECT id, text, author, author_kind, created_at FROM customer_notes WHERE customer_id = ? ORDER BY created_at DESC, id DESC',
    [customerId],
  );
  return rows.map((n) => ({
    id: idString(n.id),
    text: String(n.text),
    author: String(n.author),
    authorKind: String(n.author_kind),
    createdAt: iso(n.created_at)!,
  }));
}

export interface GroupMembershipJson {
  id: string | null;
  corpId: string;
  chatId: string;
  name: string | null;
  externalUserId: string;
  groupNickname: string | null;
  joinedAt: string | null;
  joinScene: number | null;
  invitorUserid: string | null;
  state: string | null;
  leftAt: string | null;
  quitScene: number | null;
}

/** Every customer-group membership of the customer's WeCom identities, past ones too (the profile shows current). */
export async function groupMembershipsOf(db: Db, customerId: string): Promise<GroupMembershipJson[]> {
  const rows = await select(
    db,
    `SELECT g.id, m.corp_id, m.chat_id, g.name, m.userid, m.group_nickname, m.join_time, m.join_scene,
            m.invitor_userid, m.state, m.left_at, m.quit_scene
       FROM identities i
       JOIN wecom_group_members m ON m.corp_id = i.scope AND m.userid = i.value AND m.member_type = 2
       LEFT JOIN wecom_groups g ON g.corp_id = m.corp_id AND g.chat_id = m.chat_id
      WHERE i.customer_id = ? AND i.type = 'wecom_external_userid'
      ORDER BY m.join_time, m.id`,
    [customerId],
  );
  return rows.map((m) => ({
    id: m.id === null || m.id === undefined ? null : idString(m.id),
    corpId: String(m.corp_id),
    chatId: String(m.chat_id),
    name: str(m.name),
    externalUserId: String(m.userid),
    groupNickname: str(m.group_nickname),
    joinedAt: iso(m.join_time),
    joinScene: num(m.join_scene),
    invitorUserid: str(m.invitor_userid),
    state: str(m.state),
    leftAt: iso(m.left_at),
    quitScene: num(m.quit_scene),
  }));
}

export interface BundleRefundJson {
  outRefundNo: string;
  refundId: string | null;
  amountRefund: number;
  refundStatus: string;
  successTime: string | null;
}

export interface BundleTransactionJson {
  mchId: string;
  appId: string | null;
  outTradeNo: string;
  transactionId: string | null;
  amountTotal: number;
  payerTotal: number | null;
  refundedTotal: number;
  currency: string;
  state: string;
  tradeType: string | null;
  payerOpenid: string | null;
  source: string;
  successTime: string | null;
  createdAt: string | null;
  refunds: BundleRefundJson[];
}

/** The customer's payments and orders (every source), oldest first, each with its refunds. */
export async function transactionsOf(db: Db, customerId: string): Promise<BundleTransactionJson[]> {
  const rows = await select(
    db,
    `SELECT mch_id, app_id, out_trade_no, transaction_id, amount_total, payer_total, refunded_total, currency, state,
            trade_type, payer_openid, source, success_time, created_at
       FROM transactions WHERE customer_id = ? ORDER BY created_at, id`,
    [customerId],
  );
  const refunds = await select(
    db,
    `SELECT mch_id, out_trade_no, out_refund_no, refund_id, amount_refund, refund_status, success_time
       FROM refunds WHERE customer_id = ? ORDER BY created_at, id`,
    [customerId],
  );
  const byTrade = new Map<string, BundleRefundJson[]>();
  for (const r of refunds) {
    const k = `${String(r.mch_id)}|${String(r.out_trade_no)}`;
    const list = byTrade.get(k) ?? [];
    list.push({
      outRefundNo: String(r.out_refund_no),
      refundId: str(r.refund_id),
      amountRefund: Number(r.amount_refund),
      refundStatus: String(r.refund_status),
      successTime: iso(r.success_time),
    });
    byTrade.set(k, list);
  }
  return rows.map((t) => ({
    mchId: String(t.mch_id),
    appId: str(t.app_id),
    outTradeNo: String(t.out_trade_no),
    transactionId: str(t.transaction_id),
    amountTotal: Number(t.amount_total),
    payerTotal: num(t.payer_total),
    refundedTotal: Number(t.refunded_total),
    currency: String(t.currency),
    state: String(t.state),
    tradeType: str(t.trade_type),
    payerOpenid: str(t.payer_openid),
    source: String(t.source),
    successTime: iso(t.success_time),
    createdAt: iso(t.created_at),
    refunds: byTrade.get(`${String(t.mch_id)}|${String(t.out_trade_no)}`) ?? [],
  }));
}

/**
 * The values records merged into this customer still hold: a merge leaves the merged record the values whose key
 * the survivor already had (the survivor wins), so they are the person's data too. With their definition's type
 * and `pii`, by id.
 */
export async function mergedRecordValuesOf(db: Db, customerId: string): Promise<Row[]> {
  return select(
    db,
    `SELECT a.customer_id, a.attr_key, a.value_text, a.value_num, a.value_enc, a.source, a.updated_by, a.updated_at,
            d.type, d.pii
       FROM customers c
       JOIN customer_attributes a ON a.customer_id = c.id
       JOIN attribute_definitions d ON d.attr_key = a.attr_key
      WHERE c.merged_into_id = ? AND c.status = 'merged'
      ORDER BY a.customer_id, a.id`,
    [customerId],
  );
}
