import { type Db, type Row, excluded, execute, fromDbTime, idString, select, toDbTime, upsert } from '../sql';

/** One (channel, account, subject, remote tag) of `remote_tag_state`: what WeChat holds, as far as Siyu knows. */
export interface RemoteState {
  subject: string;
  remoteTagId: string;
  customerId: string | null;
  present: boolean;
  lastErrcode: number | null;
  drifted: boolean;
  pushedAt: Date | null;
}

export interface RemoteStateWrite {
  subject: string;
  remoteTagId: string;
  customerId: string | null;
  present: boolean;
}

const CONFLICT = ['channel', 'account', 'subject', 'remote_tag_id'];

function rowsOf(channel: string, account: string, writes: readonly RemoteStateWrite[], extra: Row): Row[] {
  return writes.map((w) => ({
    channel,
    account,
    subject: w.subject,
    remote_tag_id: w.remoteTagId,
    customer_id: w.customerId,
    present: w.present,
    ...extra,
  }));
}

/** A push succeeded: WeChat now holds exactly this; earlier failures and drift no longer apply. */
export async function recordPushed(
  db: Db,
  channel: string,
  account: string,
  writes: readonly RemoteStateWrite[],
  now: Date,
): Promise<void> {
  if (writes.length === 0) return;
  // One time value for every row: converting a Date per row and column showed up in the bench profile.
  const at = toDbTime(now);
  await upsert(
    db,
    'remote_tag_state',
    rowsOf(channel, account, writes, { pushed_at: at, last_errcode: null, drifted: false, updated_at: at }),
    {
      conflict: CONFLICT,
      update: ['customer_id', 'present', 'pushed_at', 'last_errcode', 'drifted', 'updated_at'],
    },
  );
}

/** A push was refused for good: remember the errcode; `present` keeps what WeChat held before (the write's value on a new row). */
export async function recordFailed(
  db: Db,
  channel: string,
  account: string,
  writes: readonly RemoteStateWrite[],
  errcode: number,
  now: Date,
): Promise<void> {
  if (writes.length === 0) return;
  await upsert(db, 'remote_tag_state', rowsOf(channel, account, writes, { last_errcode: errcode, updated_at: now }), {
    conflict: CONFLICT,
    update: {
      customer_id: excluded(db, 'customer_id'),
      last_errcode: excluded(db, 'last_errcode'),
      updated_at: excluded(db, 'updated_at'),
    },
  });
}

/** WeChat was read (reconcile, relation re-read): `present` is the truth now; `drifted` = it differs from the desired state. */
export async function recordObserved(
  db: Db,
  channel: string,
  account: string,
  writes: readonly (RemoteStateWrite & { drifted: boolean })[],
  now: Date,
): Promise<void> {
  if (writes.length === 0) return;
  const rows = writes.map((w) => ({
    channel,
    account,
    subject: w.subject,
    remote_tag_id: w.remoteTagId,
    customer_id: w.customerId,
    present: w.present,
    drifted: w.drifted,
    observed_at: now,
    updated_at: now,
  }));
  await upsert(db, 'remote_tag_state', rows, {
    conflict: CONFLICT,
    update: ['customer_id', 'present', 'drifted', 'observed_at', 'updated_at'],
  });
}

export async function statesOf(
  db: Db,
  channel: string,
  account: string,
  subjects: readonly string[],
  remoteTagId?: string,
): Promise<RemoteState[]> {
  if (subjects.length === 0) return [];
  const out: RemoteState[] = [];
  for (let i = 0; i < subjects.length; i += 500) {
    const part = subjects.slice(i, i + 500);
    const rows = await select(
      db,
      `SELECT subject, remote_tag_id, customer_id, present, last_errcode, drifted, pushed_at FROM remote_tag_state
        WHERE channel = ? AND account = ? AND subject IN (${part.map(() => '?').join(', ')})${remoteTagId === undefined ? '' : ' AND remote_tag_id = ?'}`,
      [channel, account, ...part, ...(remoteTagId === undefined ? [] : [remoteTagId])],
    );
    for (const r of rows) out.push(toState(r));
  }
  return out;
}

export function toState(r: Row): RemoteState {
  return {
    subject: String(r.subject),
    remoteTagId: String(r.remote_tag_id),
    customerId: (r.customer_id as string | null) ?? null,
    present: Number(r.present) === 1,
    lastErrcode: r.last_errcode === null || r.last_errcode === undefined ? null : Number(r.last_errcode),
    drifted: Number(r.drifted) === 1,
    pushedAt: fromDbTime(r.pushed_at),
  };
}

/** Forget recorded failures so the subjects are pushed again (outbox retry, a fresh unassign). */
export async function clearErrors(
  db: Db,
  channel: string,
  account: string,
  subjects: readonly string[],
  remoteTagId?: string,
): Promise<void> {
  for (let i = 0; i < subjects.length; i += 500) {
    const part = subjects.slice(i, i + 500);
    await execute(
      db,
      `UPDATE remote_tag_state SET last_errcode = NULL WHERE channel = ? AND account = ? AND subject IN (${part.map(() => '?').join(', ')})${remoteTagId === undefined ? '' : ' AND remote_tag_id = ?'}`,
      [channel, account, ...part, ...(remoteTagId === undefined ? [] : [remoteTagId])],
    );
  }
}

/** Forgets who held a remote tag (WeChat deleted it). */
export async function forgetRemoteTag(
  db: Db,
  channel: string,
  account: string,
  remoteTagId: string | null,
): Promise<void> {
  await execute(db, 'DELETE FROM remote_tag_state WHERE channel = ? AND account = ? AND remote_tag_id = ?', [
    channel,
    account,
    remoteTagId,
  ]);
}

/** Subjects WeChat holds a remote tag on, as far as Siyu knows. */
export async function holdersOfRemoteTag(
  db: Db,
  channel: string,
  account: string,
  remoteTagId: string,
): Promise<string[]> {
  const rows = await select(
    db,
    'SELECT subject FROM remote_tag_state WHERE channel = ? AND account = ? AND remote_tag_id = ? AND present = 1',
    [channel, account, remoteTagId],
  );
  return rows.map((r) => String(r.subject));
}

/** The bound tags WeChat holds on a customer's subjects: (channel, account, subject, catalog tag). */
export async function boundMarksOfCustomer(
  db: Db,
  customerId: string,
): Promise<{ channel: string; account: string; subject: string; tagId: string }[]> {
  const rows = await select(
    db,
    `SELECT r.channel, r.account, r.subject, b.tag_id FROM remote_tag_state r
      JOIN tag_bindings b ON b.channel = r.channel AND b.account = r.account AND b.remote_tag_id = r.remote_tag_id
      WHERE r.customer_id = ? AND r.present = 1`,
    [customerId],
  );
  return rows.map((r) => ({
    channel: String(r.channel),
    account: String(r.account),
    subject: String(r.subject),
    tagId: String(r.tag_id),
  }));
}

/** Tags these customers carry, or that WeChat holds (bound) on their subjects. */
export async function tagsCarriedOrHeld(db: Db, customerIds: readonly string[]): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const marks = customerIds.map(() => '?').join(', ');
  const rows = await select(
    db,
    `SELECT tag_id FROM customer_tags WHERE customer_id IN (${marks})
     UNION SELECT b.tag_id FROM remote_tag_state r
      JOIN tag_bindings b ON b.channel = r.channel AND b.account = r.account AND b.remote_tag_id = r.remote_tag_id
      WHERE r.customer_id IN (${marks}) AND r.present = 1`,
    [...customerIds, ...customerIds],
  );
  return new Set(rows.map((r) => idString(r.tag_id)));
}

/** The next page of customers WeChat holds a bound tag on (as far as Siyu knows) after `after`, in id order. */
export async function pageRemoteHolders(db: Db, tagId: string, after: string, limit: number): Promise<string[]> {
  const rows = await select(
    db,
    `SELECT DISTINCT r.customer_id FROM remote_tag_state r
      JOIN tag_bindings b ON b.channel = r.channel AND b.account = r.account AND b.remote_tag_id = r.remote_tag_id
      WHERE b.tag_id = ? AND r.present = 1 AND r.customer_id IS NOT NULL AND r.customer_id > ? ORDER BY r.customer_id LIMIT ${Math.trunc(limit)}`,
    [tagId, after],
  );
  return rows.map((r) => String(r.customer_id));
}
