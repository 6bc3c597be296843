import type { DataSource } from '../../storage';
import { retryingTransaction } from '../../storage/conflict-retry';
import {
  endOutboxRow,
  insertOutboxRows,
  markOutboxDone,
  type NewOutboxRow,
  type OutboxRowEnd,
} from '../../storage/tags/outbox.repository';
import type { OaPayload, OutboxItem, WecomPayload } from './outbox-types';
import { MAX_ATTEMPTS, classifyFailure, retryDelayMs } from './push-errors';
import { recordFailed, recordPushed, type RemoteStateWrite } from '../../storage/tags/remote-tag-state.repository';

/** Counters of one pusher, for `siyu push-tags`, logs and the benchmark. */
export interface PushStats {
  /** WeChat calls made (batchtagging/untagging, mark_tag, tag creation). */
  calls: number;
  rowsDone: number;
  /** Rows put back with a backoff after a retryable failure. */
  retries: number;
  rowsDead: number;
  /** Subjects whose tag WeChat now holds as desired (openid × tag, relation × tag). */
  itemsPushed: number;
  /** Rows that needed no call when pushed (already in the desired state). */
  rowsSkipped: number;
  /** Rows put back unattempted because their account was blocked by a rate limit. */
  deferred: number;
}

export const emptyStats = (): PushStats => ({
  calls: 0,
  rowsDone: 0,
  retries: 0,
  rowsDead: 0,
  itemsPushed: 0,
  rowsSkipped: 0,
  deferred: 0,
});

/**
 * What one claimed batch did, written back in one transaction: row statuses, split-off dead rows and the
 * remote state WeChat now holds. Updates are fenced on `locked_by` so a pusher whose lease expired (and whose
 * rows another pusher took over) changes nothing.
 */
export class PushOutcome {
  private readonly ends: OutboxRowEnd[] = [];
  private readonly endedIds = new Set<string>();
  private readonly splits: NewOutboxRow[] = [];
  private readonly pushed = new Map<string, { channel: string; account: string; writes: RemoteStateWrite[] }>();
  private readonly failed = new Map<
    string,
    { channel: string; account: string; errcode: number; writes: RemoteStateWrite[] }
  >();

  constructor(
    private readonly stats: PushStats,
    private readonly now: () => Date,
    private readonly random: () => number,
  ) {}

  /** Whether a row already has its outcome (a group failing late must not end it twice). */
  ended(id: string): boolean {
    return this.endedIds.has(id);
  }

  done(item: OutboxItem, payload?: OaPayload | WecomPayload, skipped = false): void {
    this.endedIds.add(item.id);
    this.ends.push({
      item,
      status: 'done',
      attempts: item.attempts + 1,
      errcode: null,
      error: null,
      ...(payload ? { payload } : {}),
    });
    this.stats.rowsDone++;
    if (skipped) this.stats.rowsSkipped++;
  }

  /** A failure: permanent → dead with the errcode; retryable → back to pending after a backoff, dead past the attempt cap. */
  fail(item: OutboxItem, err: unknown, payload?: OaPayload | WecomPayload): { dead: boolean; errcode: number | null } {
    this.endedIds.add(item.id);
    const f = classifyFailure(err);
    const attempts = item.attempts + 1;
    const dead = f.permanent || attempts >= MAX_ATTEMPTS;
    const end: OutboxRowEnd = {
      item,
      status: dead ? 'dead' : 'pending',
      attempts,
      errcode: f.errcode,
      error: f.message.slice(0, 1000),
      ...(payload ? { payload } : {}),
    };
    if (!dead) end.nextAt = new Date(this.now().getTime() + retryDelayMs(attempts, f, this.random));
    this.ends.push(end);
    if (dead) this.stats.rowsDead++;
    else this.stats.retries++;
    return { dead, errcode: f.errcode };
  }

  /** Not attempted: the account is blocked by a rate limit until `until`; back to pending without an attempt. */
  defer(item: OutboxItem, until: Date, payload?: OaPayload | WecomPayload): void {
    this.endedIds.add(item.id);
    this.ends.push({
      item,
      status: 'pending',
      attempts: item.attempts,
      nextAt: until,
      errcode: item.lastErrcode,
      error: item.lastError,
      ...(payload ? { payload } : {}),
    });
    this.stats.deferred++;
  }

  /** Items WeChat refused for good, split off into their own dead row so the rest of the batch completes. */
  split(row: NewOutboxRow): void {
    this.splits.push({ ...row, status: 'dead' });
    this.stats.rowsDead++;
  }

  statePushed(channel: string, account: string, writes: RemoteStateWrite[]): void {
    const key = `${channel}\u0000${account}`;
    const entry = this.pushed.get(key) ?? { channel, account, writes: [] };
    entry.writes.push(...writes);
    this.pushed.set(key, entry);
    this.stats.itemsPushed += writes.length;
  }

  stateFailed(channel: string, account: string, errcode: number | null, writes: RemoteStateWrite[]): void {
    if (errcode === null || writes.length === 0) return;
    const key = `${channel}\u0000${account}\u0000${errcode}`;
    const entry = this.failed.get(key) ?? { channel, account, errcode, writes: [] };
    entry.writes.push(...writes);
    this.failed.set(key, entry);
  }

  /**
   * What this round pushed, keyed `channel|account|subject|remoteTagId` → present, for the next round to read
   * while this one is still being written back.
   */
  overlay(): Map<string, boolean> {
    const out = new Map<string, boolean>();
    for (const { channel, account, writes } of this.pushed.values())
      for (const w of writes) out.set(overlayKey(channel, account, w.subject, w.remoteTagId), w.present);
    return out;
  }

  async flush(ds: DataSource, owner: string): Promise<void> {
    const now = this.now();
    await retryingTransaction(ds, async (m) => {
      for (const { channel, account, writes } of this.pushed.values())
        await recordPushed(m, channel, account, writes, now);
      for (const { channel, account, errcode, writes } of this.failed.values())
        await recordFailed(m, channel, account, writes, errcode, now);
      await markOutboxDone(
        m,
        this.ends.filter((e) => e.status === 'done' && !e.payload).map((e) => e.item.id),
        owner,
        now,
      );
      for (const e of this.ends) if (e.status !== 'done' || e.payload) await endOutboxRow(m, e, owner, now);
      await insertOutboxRows(m, this.splits, now);
    });
  }
}

export const overlayKey = (channel: string, account: string, subject: string, remoteTagId: string): string =>
  `${channel}|${account}|${subject}|${remoteTagId}`;
