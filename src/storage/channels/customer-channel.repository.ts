import type { ChannelActivityKind } from '../entities/channel-activity.entity';
import {
  type Db,
  type Row,
  excluded,
  execute,
  fromDbTime,
  idString,
  insertIgnore,
  select,
  toDbTime,
  upsert,
} from '../sql';

export interface ChannelTouch {
  channelId: string;
  customerId: string;
  at: Date;
  /** The inbox event behind the touch: a replay of it records nothing twice. */
  dedupeKey: string;
}

/**
 * Records a touch: the activity row (unless its key is already there: then nothing, and null), and the customer's
 * `customer_channels` row (first and last time, count). Returns whether this was the customer's first touch of
 * the channel, or null for a replay.
 */
export async function recordTouch(db: Db, t: ChannelTouch): Promise<{ first: boolean } | null> {
  const [held] = await select(db, 'SELECT id FROM customer_channels WHERE customer_id = ? AND channel_id = ?', [
    t.customerId,
    t.channelId,
  ]);
  const kind: ChannelActivityKind = held ? 'returning' : 'new';
  if (!(await recordActivity(db, { ...t, kind }))) return null;
  const at = toDbTime(t.at);
  await upsert(
    db,
    'customer_channels',
    [{ customer_id: t.customerId, channel_id: t.channelId, first_at: at, last_at: at, touches: 1 }],
    {
      conflict: ['customer_id', 'channel_id'],
      update: {
        // A touch processed late (an inbox retry) never moves last_at back.
        last_at: `CASE WHEN last_at < ${excluded(db, 'last_at')} THEN ${excluded(db, 'last_at')} ELSE last_at END`,
        touches: 'touches + 1',
      },
    },
  );
  return { first: !held };
}

/** One activity row unless its key is there already; true when written. */
export async function recordActivity(db: Db, a: ChannelTouch & { kind: ChannelActivityKind }): Promise<boolean> {
  return (
    (await insertIgnore(db, 'channel_activity', [
      {
        channel_id: a.channelId,
        customer_id: a.customerId,
        kind: a.kind,
        at: toDbTime(a.at),
        dedupe_key: a.dedupeKey,
      },
    ])) > 0
  );
}

/** A relation a full sync found gone (DESIGN §10.2): whose it was and a key naming the relation and the finding. */
export interface GoneRelation {
  customerId: string;
  dedupeKey: string;
}

/** The gone relations among rows `{ id, customer_id }` of `table` a sync marked at `at`, keyed by row and time. */
export function goneRelations(table: string, rows: readonly Row[], at: Date): GoneRelation[] {
  return rows.map((r) => ({
    customerId: String(r.customer_id),
    dedupeKey: `sync-lost:${table}:${idString(r.id)}:${at.getTime()}`,
  }));
}

const LOSS_CHUNK = 500;

/**
 * Counts the losses a full sync or a re-read found as `lost` for each customer's first channel (earliest first
 * touch, ties by row, as the segment's `first`), at `at`: the loss a missed unsubscribe / del_follow_user callback
 * would have counted. Customers no channel brought count nothing. Returns the rows written (a repeated key writes none).
 */
export async function recordSyncLosses(db: Db, gone: readonly GoneRelation[], at: Date): Promise<number> {
  let written = 0;
  for (let i = 0; i < gone.length; i += LOSS_CHUNK) {
    const part = gone.slice(i, i + LOSS_CHUNK);
    const customers = [...new Set(part.map((g) => g.customerId))];
    const firsts = await select(
      db,
      `SELECT cc.customer_id, cc.channel_id FROM customer_channels cc
        WHERE cc.customer_id IN (${customers.map(() => '?').join(', ')})
          AND NOT EXISTS (SELECT 1 FROM customer_channels e WHERE e.customer_id = cc.customer_id
            AND (e.first_at < cc.first_at OR (e.first_at = cc.first_at AND e.id < cc.id)))`,
      customers,
    );
    const first = new Map(firsts.map((r) => [String(r.customer_id), idString(r.channel_id)]));
    const rows = part.flatMap((g) => {
      const channelId = first.get(g.customerId);
      return channelId
        ? [
            {
              channel_id: channelId,
              customer_id: g.customerId,
              kind: 'lost',
              at: toDbTime(at),
              dedupe_key: g.dedupeKey,
            },
          ]
        : [];
    });
    written += await insertIgnore(db, 'channel_activity', rows);
  }
  return written;
}

/** The channel that first brought the customer (earliest first touch), if any. */
export async function firstChannelOf(db: Db, customerId: string): Promise<string | undefined> {
  const [r] = await select(
    db,
    'SELECT channel_id FROM customer_channels WHERE customer_id = ? ORDER BY first_at, id LIMIT 1',
    [customerId],
  );
  return r ? idString(r.channel_id) : undefined;
}

/**
 * The profile's channels part (DESIGN §13 `channels: [{ id, name, firstAt, lastAt }]`), deleted channels included
 * (history stays): read through the (customer_id, channel_id) key in the one-statement profile read.
 */
export const CUSTOMER_CHANNELS_PART = {
  columns: {
    id: 'ch.id',
    name: 'ch.name',
    first_at: 'cc.first_at',
    last_at: 'cc.last_at',
  },
  from: 'FROM customer_channels cc JOIN channels ch ON ch.id = cc.channel_id WHERE cc.customer_id = {c}',
} as const;

/**
 * The merged customer's `customer_channels` rows a merge moves to the survivor: those of channels the survivor has
 * no row for (a channel both came through is combined into the survivor's row: combineSharedChannels).
 */
export async function customerChannelsToMove(db: Db, survivorId: string, mergedId: string): Promise<string[]> {
  const rows = await select(
    db,
    `SELECT m.id FROM customer_channels m WHERE m.customer_id = ?
      AND NOT EXISTS (SELECT 1 FROM customer_channels s WHERE s.customer_id = ? AND s.channel_id = m.channel_id) ORDER BY m.id`,
    [mergedId, survivorId],
  );
  return rows.map((r) => idString(r.id));
}

/** A survivor's row a merge combined: its own values before, and what the merged customer's row added. */
export interface CombinedChannel {
  id: string;
  firstAt: string;
  lastAt: string;
  touches: number;
  combinedLastAt: string;
  mergedTouches: number;
}

const iso = (v: unknown): string => fromDbTime(v)!.toISOString();

/**
 * A channel both customers came through (DESIGN §10.2, §4): the survivor's row takes the earliest first touch, the
 * latest last touch and both counts, so "first channel" and the segment's `first` see the person's real first
 * touch. The merged customer keeps its own row (as a tag both hold). Returns what undo needs to put it back.
 */
export async function combineSharedChannels(db: Db, survivorId: string, mergedId: string): Promise<CombinedChannel[]> {
  const rows = await select(
    db,
    `SELECT s.id, s.first_at, s.last_at, s.touches, m.first_at AS m_first_at, m.last_at AS m_last_at, m.touches AS m_touches
      FROM customer_channels s JOIN customer_channels m ON m.channel_id = s.channel_id AND m.customer_id = ?
      WHERE s.customer_id = ? ORDER BY s.id`,
    [mergedId, survivorId],
  );
  const combined: CombinedChannel[] = [];
  for (const r of rows) {
    const c: CombinedChannel = {
      id: idString(r.id),
      firstAt: iso(r.first_at),
      lastAt: iso(r.last_at),
      touches: Number(r.touches),
      combinedLastAt: [iso(r.last_at), iso(r.m_last_at)].sort()[1]!,
      mergedTouches: Number(r.m_touches),
    };
    const firstAt = [c.firstAt, iso(r.m_first_at)].sort()[0]!;
    await execute(db, 'UPDATE customer_channels SET first_at = ?, last_at = ?, touches = ? WHERE id = ?', [
      toDbTime(new Date(firstAt)),
      toDbTime(new Date(c.combinedLastAt)),
      c.touches + c.mergedTouches,
      c.id,
    ]);
    combined.push(c);
  }
  return combined;
}

/**
 * Undo of combineSharedChannels: the survivor's rows get their own first touch and count back; the last touch too,
 * unless a touch since the merge moved it (that touch stays, and its count).
 */
export async function separateSharedChannels(db: Db, combined: readonly CombinedChannel[]): Promise<void> {
  for (const c of combined) {
    const [now] = await select(db, 'SELECT last_at, touches FROM customer_channels WHERE id = ?', [c.id]);
    if (!now) continue;
    const lastAt = iso(now.last_at) === c.combinedLastAt ? c.lastAt : iso(now.last_at);
    await execute(db, 'UPDATE customer_channels SET first_at = ?, last_at = ?, touches = ? WHERE id = ?', [
      toDbTime(new Date(c.firstAt)),
      toDbTime(new Date(lastAt)),
      Math.max(1, Number(now.touches) - c.mergedTouches),
      c.id,
    ]);
  }
}
