import type { DataSource } from '../storage';
import type { MergeMoved } from '../storage/entities';
import type { Db } from '../storage/sql';
import { OutboxWriter } from '../tags/outbox/outbox-writer';
import {
  type StoredCustomer,
  clearFieldIf,
  findCustomers,
  updateCustomer,
} from '../storage/customers/customer.repository';
import {
  WHOLESALE_MOVES,
  consentsToMove,
  moveRows,
  rowIdsOf,
  tagRowsOf,
} from '../storage/identity/merge-moves.repository';
import { marketingWithdrawn } from '../storage/consents/consent.repository';
import { withdrawMarketingTags } from '../privacy/marketing-withdrawal';
import { IdentityError } from './identity-errors';
import {
  findMerge,
  insertMerge,
  laterMergeTouching,
  markUndone,
  type MergeRecord,
} from '../storage/identity/merge-log.repository';
import { retryingTransaction } from '../storage/conflict-retry';
import { refreshPurchaseFigures } from '../storage/customers/purchase-figures.repository';
import {
  type CombinedChannel,
  combineSharedChannels,
  customerChannelsToMove,
  separateSharedChannels,
} from '../storage/channels/customer-channel.repository';
import {
  type AttributeCopy,
  attributeCopiesOf,
  attributesToMove,
  restoreAttributeCopies,
} from '../storage/attributes/customer-attribute.repository';

/** Fanout `all` queues a superset; the pusher applies `tags.wecomFanout` when it computes each call. */
const tagPushes = new OutboxWriter('all');
type ProfileField = 'displayName' | 'avatarUrl' | 'phoneEnc';
const PROFILE_FIELDS: ProfileField[] = ['displayName', 'avatarUrl', 'phoneEnc'];

/**
 * Merges `merged` into `survivor` inside the caller's transaction: every row listed in MOVED_TABLES moves, tags
 * move unless the survivor already has the same (tag, source), profile fields the survivor lacks are filled,
 * the merged customer points at the survivor, and merge_log records all of it so `undoMerge` can put it back.
 * Both customers must already be locked by the caller.
 */
export async function mergeCustomers(
  db: Db,
  survivor: StoredCustomer,
  merged: StoredCustomer,
  reason: string,
  evidence: Record<string, unknown>,
  now: Date,
): Promise<string> {
  const moved: MergeMoved = {
    identities: [],
    customerTags: [],
    wecomFollows: [],
    oaSubscriptions: [],
    events: [],
    transactions: [],
    refunds: [],
    channelActivity: [],
    customerChannels: [],
    customerAttributes: [],
    customerNotes: [],
    consents: [],
  };
  for (const field of WHOLESALE_MOVES) {
    const ids = await rowIdsOf(db, field, merged.id);
    await moveRows(db, field, ids, merged.id, survivor.id);
    moved[field] = ids;
  }
  if (moved.transactions.length > 0) await refreshPurchaseFigures(db, [survivor.id, merged.id]);
  const held = new Set((await tagRowsOf(db, survivor.id)).map((t) => `${t.tagId}|${t.source}`));
  moved.customerTags = (await tagRowsOf(db, merged.id))
    .filter((t) => !held.has(`${t.tagId}|${t.source}`))
    .map((t) => t.id);
  await moveRows(db, 'customerTags', moved.customerTags, merged.id, survivor.id);
  // Channels: one the survivor lacks moves; one both came through is combined (earliest first touch).
  moved.customerChannels = await customerChannelsToMove(db, survivor.id, merged.id);
  await moveRows(db, 'customerChannels', moved.customerChannels, merged.id, survivor.id);
  const channelsCombined = await combineSharedChannels(db, survivor.id, merged.id);
  // Attributes: the survivor's value wins a conflict; the merged customer keeps the losing row, named in the log.
  // The log keeps a copy of every merged value: the moved rows can change on the survivor before an undo.
  const attributeValues = await attributeCopiesOf(db, survivor.id, merged.id);
  const attributes = await attributesToMove(db, survivor.id, merged.id);
  moved.customerAttributes = attributes.move;
  await moveRows(db, 'customerAttributes', moved.customerAttributes, merged.id, survivor.id);
  moved.consents = await consentsToMove(db, survivor.id, merged.id);
  await moveRows(db, 'consents', moved.consents, merged.id, survivor.id);
  // A withdrawal of marketing that came with the merged record now holds for the whole person (DESIGN §12).
  if (moved.consents.length > 0 && (await marketingWithdrawn(db, survivor.id)))
    await withdrawMarketingTags(db, survivor.id, now);

  const filled: Partial<Record<ProfileField, string>> = {};
  for (const f of PROFILE_FIELDS) {
    const value = merged[f];
    if (survivor[f] === null && value !== null) filled[f] = value;
  }
  await updateCustomer(db, survivor.id, filled, now);
  await updateCustomer(db, merged.id, { status: 'merged', mergedIntoId: survivor.id }, now);
  // The survivor's WeChat subjects now include the merged customer's: push every tag to all of them (DESIGN §5).
  await tagPushes.enqueueCustomerTags(db, [survivor.id, merged.id], now);
  return insertMerge(db, {
    survivorId: survivor.id,
    mergedId: merged.id,
    reason,
    evidence: {
      ...evidence,
      filled,
      ...(attributes.kept.length ? { attributesKept: attributes.kept } : {}),
      ...(attributeValues.length ? { attributeValues } : {}),
      ...(channelsCombined.length ? { channelsCombined } : {}),
    },
    moved,
    now,
  });
}

export interface UndoResult {
  merge: MergeRecord;
  restored: number;
}

/**
 * Undoes a merge from its log row: the merged customer is active again and every row that came with it goes
 * back. Refused (409) when a later merge, not undone, involves either customer: its moved rows could include
 * what this merge brought. Undone pairs are not merged again automatically (resolution records a conflict).
 */
export async function undoMerge(ds: DataSource, mergeId: string, by: string, now: () => number): Promise<UndoResult> {
  return retryingTransaction(ds, async (em) => {
    const merge = await findMerge(em, mergeId, true);
    if (!merge) throw new IdentityError('MERGE_NOT_FOUND', `merge ${mergeId} not found`);
    if (merge.undoneAt) throw new IdentityError('ALREADY_UNDONE', `merge ${mergeId} was already undone`);
    const later = await laterMergeTouching(em, merge.id, [merge.survivorId, merge.mergedId]);
    if (later)
      throw new IdentityError(
        'LATER_MERGE_DEPENDS',
        `merge ${later} happened later and involves these customers; undo it first`,
      );
    const customers = await findCustomers(em, [merge.survivorId, merge.mergedId], true);
    const survivor = customers.find((c) => c.id === merge.survivorId);
    const merged = customers.find((c) => c.id === merge.mergedId);
    if (
      !survivor ||
      !merged ||
      survivor.status !== 'active' ||
      merged.status !== 'merged' ||
      merged.mergedIntoId !== survivor.id
    ) {
      throw new IdentityError(
        'MERGE_STATE_CHANGED',
        'the customers are no longer in the state this merge left them in',
      );
    }
    const at = new Date(now());
    let restored = 0;
    // Merges logged with copies of the values restore them; older ones move the rows back by id.
    const copies = attributeCopiesIn(merge.evidence);
    const byId = copies ? [] : (['customerAttributes'] as const);
    for (const field of [...WHOLESALE_MOVES, 'customerTags', 'customerChannels', 'consents', ...byId] as const) {
      const ids = merge.moved[field] ?? [];
      await moveRows(em, field, ids, survivor.id, merged.id);
      restored += ids.length;
    }
    if ((merge.moved.transactions ?? []).length > 0) await refreshPurchaseFigures(em, [survivor.id, merged.id]);
    if (copies) restored += await restoreAttributeCopies(em, survivor.id, merged.id, copies);
    await separateSharedChannels(em, (merge.evidence?.channelsCombined ?? []) as CombinedChannel[]);
    // Each person's subjects are theirs again: WeChat gets back to each one's own tags.
    await tagPushes.enqueueCustomerTags(em, [survivor.id, merged.id], at);
    const filled = (merge.evidence?.filled ?? {}) as Partial<Record<ProfileField, string>>;
    for (const f of PROFILE_FIELDS) {
      const value = filled[f];
      if (value !== undefined) await clearFieldIf(em, survivor.id, f, value);
    }
    await updateCustomer(em, merged.id, { status: 'active', mergedIntoId: null }, at);
    await markUndone(em, merge.id, by, at);
    return { merge: { ...merge, undoneAt: at, undoneBy: by }, restored };
  });
}

/** The merged customer's values as the merge logged them, or undefined for a merge logged without them. */
function attributeCopiesIn(evidence: Record<string, unknown> | null): AttributeCopy[] | undefined {
  const values = evidence?.attributeValues;
  return Array.isArray(values) ? (values as AttributeCopy[]) : undefined;
}
