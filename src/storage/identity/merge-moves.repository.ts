import { type Db, execute, idString, select } from '../sql';

/** The rows that follow their person on a merge (DESIGN §4): each field of merge_log's `moved` and its table. */
export type MovedField =
  | 'identities'
  | 'customerTags'
  | 'wecomFollows'
  | 'oaSubscriptions'
  | 'events'
  | 'transactions'
  | 'refunds'
  | 'channelActivity'
  | 'customerChannels'
  | 'customerAttributes'
  | 'customerNotes'
  | 'consents';
const TABLE_OF: Record<MovedField, string> = {
  identities: 'identities',
  customerTags: 'customer_tags',
  wecomFollows: 'wecom_follows',
  oaSubscriptions: 'oa_subscriptions',
  events: 'events',
  transactions: 'transactions',
  refunds: 'refunds',
  channelActivity: 'channel_activity',
  customerChannels: 'customer_channels',
  customerAttributes: 'customer_attributes',
  customerNotes: 'customer_notes',
  consents: 'consents',
};

/**
 * The fields a merge moves wholesale (tags, channels and attributes move one by one: the survivor may hold the
 * same tag, channel or attribute key already).
 */
export const WHOLESALE_MOVES: readonly MovedField[] = [
  'identities',
  'wecomFollows',
  'oaSubscriptions',
  'events',
  'transactions',
  'refunds',
  'channelActivity',
  'customerNotes',
];

/** Ids of the customer's rows of one moved table, in id order. */
export async function rowIdsOf(db: Db, field: MovedField, customerId: string): Promise<string[]> {
  return (
    await select<{ id: unknown }>(db, `SELECT id FROM ${TABLE_OF[field]} WHERE customer_id = ? ORDER BY id`, [
      customerId,
    ])
  ).map((r) => idString(r.id));
}

/** Moves these rows of one table from one customer to another (rows already moved elsewhere stay). */
export async function moveRows(
  db: Db,
  field: MovedField,
  ids: readonly string[],
  from: string,
  to: string,
): Promise<void> {
  const table = TABLE_OF[field];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    await execute(
      db,
      `UPDATE ${table} SET customer_id = ? WHERE customer_id = ? AND id IN (${part.map(() => '?').join(', ')})`,
      [to, from, ...part],
    );
  }
}

/**
 * The merged customer's consents for a (purpose, channel) the survivor has no answer for: they move. Where both
 * answered, the survivor's stands and the other stays with the merged record (as custom fields do).
 */
export async function consentsToMove(db: Db, survivorId: string, mergedId: string): Promise<string[]> {
  const rows = await select<{ id: unknown }>(
    db,
    `SELECT m.id FROM consents m WHERE m.customer_id = ? AND NOT EXISTS
      (SELECT 1 FROM consents s WHERE s.customer_id = ? AND s.purpose = m.purpose AND s.channel = m.channel) ORDER BY m.id`,
    [mergedId, survivorId],
  );
  return rows.map((r) => idString(r.id));
}

/** The customer's tag assignments: row id, tag and source. */
export async function tagRowsOf(db: Db, customerId: string): Promise<{ id: string; tagId: string; source: string }[]> {
  const rows = await select<{ id: unknown; tag_id: unknown; source: string }>(
    db,
    'SELECT id, tag_id, source FROM customer_tags WHERE customer_id = ?',
    [customerId],
  );
  return rows.map((r) => ({ id: idString(r.id), tagId: idString(r.tag_id), source: r.source }));
}
