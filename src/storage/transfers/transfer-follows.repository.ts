import { type Db, execute, select } from '../sql';

/** The customer of each live relation of a member, by external_userid (absent: no live relation). */
export async function liveRelationsOf(
  db: Db,
  corpId: string,
  staffUserid: string,
  externalUserids: readonly string[],
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (let i = 0; i < externalUserids.length; i += 500) {
    const chunk = externalUserids.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT external_userid, customer_id FROM wecom_follows WHERE corp_id = ? AND staff_userid = ? AND deleted = 0
        AND external_userid IN (${chunk.map(() => '?').join(', ')})`,
      [corpId, staffUserid, ...chunk],
    );
    for (const r of rows)
      out.set(
        String(r.external_userid),
        r.customer_id === null || r.customer_id === undefined ? null : String(r.customer_id),
      );
  }
  return out;
}

/** Ends the member's relation with the customer because a transfer moved it (not a loss, DESIGN §10.3). */
export async function endRelationByTransfer(
  db: Db,
  corpId: string,
  staffUserid: string,
  externalUserid: string,
  at: Date,
  now: Date,
): Promise<void> {
  await execute(
    db,
    `UPDATE wecom_follows SET deleted = 1, deleted_at = ?, end_reason = 'transferred', updated_at = ?
      WHERE corp_id = ? AND staff_userid = ? AND external_userid = ? AND deleted = 0`,
    [at, now, corpId, staffUserid, externalUserid],
  );
}

/** The customer behind a relation of any member of the corp (transfers keep the customer). */
export async function customerOfExternal(db: Db, corpId: string, externalUserid: string): Promise<string | null> {
  const [r] = await select(
    db,
    `SELECT customer_id FROM wecom_follows WHERE corp_id = ? AND external_userid = ? AND customer_id IS NOT NULL LIMIT 1`,
    [corpId, externalUserid],
  );
  return r?.customer_id === null || r?.customer_id === undefined ? null : String(r.customer_id);
}

/** A member's live customers with the customer's display name and the relation's remark, by external_userid. */
export async function customersOfMember(
  db: Db,
  corpId: string,
  staffUserid: string,
  limit: number,
): Promise<{ externalUserid: string; customerId: string | null; displayName: string | null; remark: string | null }[]> {
  const rows = await select(
    db,
    `SELECT f.external_userid, f.customer_id, f.remark, c.display_name FROM wecom_follows f
      LEFT JOIN customers c ON c.id = f.customer_id
      WHERE f.corp_id = ? AND f.staff_userid = ? AND f.deleted = 0 ORDER BY f.external_userid LIMIT ${Math.trunc(limit)}`,
    [corpId, staffUserid],
  );
  const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
  return rows.map((r) => ({
    externalUserid: String(r.external_userid),
    customerId: text(r.customer_id),
    displayName: text(r.display_name),
    remark: text(r.remark),
  }));
}
