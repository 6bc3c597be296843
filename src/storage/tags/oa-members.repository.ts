import type { CustomerTagSource } from '../entities';
import { type Db, select } from '../sql';

/** Fans Siyu knows hold the OA tag (`remote_tag_state`), with their customer and whether that was drift. */
export async function knownPresent(
  db: Db,
  appId: string,
  remoteTagId: string,
): Promise<Map<string, { customerId: string | null; drifted: boolean }>> {
  const rows = await select(
    db,
    "SELECT subject, customer_id, drifted FROM remote_tag_state WHERE channel = 'oa' AND account = ? AND remote_tag_id = ? AND present = 1",
    [appId, remoteTagId],
  );
  return new Map(
    rows.map((r) => [
      String(r.subject),
      { customerId: (r.customer_id as string | null) ?? null, drifted: Number(r.drifted) === 1 },
    ]),
  );
}

/** openid → its customer and the sources of the assignments, for every follower of the appid whose customer should carry the tag. */
export async function desiredOpenids(
  db: Db,
  appId: string,
  tagId: string,
): Promise<Map<string, { customerId: string; sources: Set<CustomerTagSource> }>> {
  const rows = await select(
    db,
    `SELECT i.value AS openid, i.customer_id, ct.source FROM customer_tags ct
      JOIN identities i ON i.customer_id = ct.customer_id AND i.type = 'oa_openid' AND i.scope = ?
      WHERE ct.tag_id = ?`,
    [appId, tagId],
  );
  const out = new Map<string, { customerId: string; sources: Set<CustomerTagSource> }>();
  for (const r of rows) {
    const openid = String(r.openid);
    const entry = out.get(openid) ?? { customerId: String(r.customer_id), sources: new Set<CustomerTagSource>() };
    entry.sources.add(r.source as CustomerTagSource);
    out.set(openid, entry);
  }
  return out;
}

/** The customers holding these openids of the appid (openids no customer holds are left out). */
export async function customersOfOpenids(
  db: Db,
  appId: string,
  openids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < openids.length; i += 500) {
    const part = openids.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT value, customer_id FROM identities WHERE type = 'oa_openid' AND scope = ? AND value IN (${part.map(() => '?').join(', ')})`,
      [appId, ...part],
    );
    for (const r of rows) out.set(String(r.value), String(r.customer_id));
  }
  return out;
}
