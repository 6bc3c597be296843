import { type Db, type Row, execute, select, toDbTime } from '../sql';

/** A live follow relation of the customer with a staff member of a corp, if any. */
export async function findLiveFollow(
  db: Db,
  customerId: string,
  corpId: string,
  userid: string,
): Promise<{ externalUserid: string; remark: string | null; description: string | null } | undefined> {
  const [r] = await select<Row>(
    db,
    'SELECT external_userid, remark, description FROM wecom_follows WHERE customer_id = ? AND corp_id = ? AND staff_userid = ? AND deleted = 0 ORDER BY id DESC LIMIT 1',
    [customerId, corpId, userid],
  );
  if (!r) return undefined;
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return { externalUserid: String(r.external_userid), remark: text(r.remark), description: text(r.description) };
}

/** The relation's remark and description as WeChat now holds them (fields not sent stay). */
export async function setFollowRemark(
  db: Db,
  corpId: string,
  p: { userid: string; externalUserid: string; remark?: string; description?: string },
  now: Date,
): Promise<void> {
  const fields = (['remark', 'description'] as const).filter((f) => p[f] !== undefined);
  if (fields.length === 0) return;
  const sets = fields.map((f) => `${f} = ?`);
  const params = fields.map((f) => (p[f] === '' ? null : p[f]));
  await execute(
    db,
    `UPDATE wecom_follows SET ${sets.join(', ')}, updated_at = ? WHERE corp_id = ? AND staff_userid = ? AND external_userid = ?`,
    [...params, toDbTime(now), corpId, p.userid, p.externalUserid],
  );
}
