import { createHash } from 'crypto';
import { insertEvents, type NewEvent } from '../storage/events/event.repository';
import type { Db } from '../storage/sql';

/** One timeline entry (DESIGN §3 `events`). */
export interface TimelineEntry {
  customerId: string | null;
  /** Channel the event came from (`official-account`, `wecom`, …). */
  source: string;
  /** appId / corpId / mchId. */
  account: string;
  type: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
  dedupeKey: string;
  inboxId?: string | null;
}

const MAX_KEY = 191;

/** A dedupe key as VARCHAR(191) holds it: the key itself, else its SHA-256. */
export function fitKey(key: string): string {
  return key.length <= MAX_KEY ? key : `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/**
 * `<inbox dedupe key>#<index of the event in the callback>`: stable across reprocessing of the same inbox row,
 * so a retried row never writes an entry twice. Keys that would not fit VARCHAR(191) use the key's SHA-256.
 */
export function timelineKey(inboxKey: string, index: number): string {
  const key = `${inboxKey}#${index}`;
  return key.length <= MAX_KEY ? key : `sha256:${createHash('sha256').update(inboxKey, 'utf8').digest('hex')}#${index}`;
}

/** Writes the entry unless its dedupe_key is already there (only that key's conflict is ignored). */
export async function writeTimeline(db: Db, e: TimelineEntry): Promise<void> {
  await writeTimelines(db, [e]);
}

/** Writes several entries in as few statements as fit, each unless its dedupe_key is already there. */
export async function writeTimelines(db: Db, entries: readonly TimelineEntry[]): Promise<void> {
  await insertEvents(db, entries.map(toRow));
}

const toRow = (e: TimelineEntry): NewEvent => ({
  customerId: e.customerId,
  source: e.source.slice(0, 32),
  account: e.account.slice(0, 64),
  type: e.type.slice(0, 64),
  occurredAt: e.occurredAt,
  payload: e.payload,
  dedupeKey: e.dedupeKey,
  inboxId: e.inboxId ?? null,
});
