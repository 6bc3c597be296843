import type { NormalizedEvent } from '../../../connectors/common/normalized-event';
import type { EventHook } from '../../inbox/event-hooks';
import type { DeferredWork } from '../../inbox/inbox-batch';
import { enqueueRefresh, type RefreshHint } from '../../storage/syncs/refresh-queue.repository';

/**
 * The re-read a callback calls for, if any: WeCom add/edit → the contact; OA subscribe → the user; a member
 * created or updated (change_contact, which newer callback URLs send with UserID and Department only) → the
 * member; a customer group created or changed → the group. A half add (customer not yet accepted) is not read:
 * WeCom answers 84061 until the add_external_contact that follows.
 */
export function hintOf(e: NormalizedEvent): RefreshHint | undefined {
  if ((e.kind === 'follow.added' && !e.half) || e.kind === 'follow.edited')
    return { kind: 'wecom_contact', account: e.account, subject: e.externalUserId };
  if (e.kind === 'subscription.changed' && e.subscribed)
    return { kind: 'oa_user', account: e.account, subject: e.openid };
  if (e.kind === 'staff.changed' && e.change !== 'deleted')
    return { kind: 'wecom_member', account: e.account, subject: e.newUserId ?? e.userId };
  if (e.kind === 'group.changed') return { kind: 'wecom_group', account: e.account, subject: e.chatId };
  return undefined;
}

/** A batch's hints go in one upsert at its end (a subject hinted twice in it is queued once). */
const hintWork: DeferredWork<RefreshHint> = {
  name: 'syncs.refresh-hints',
  flush: (em, hints, now) => enqueueRefresh(em, hints, now),
};

/**
 * Inbox event hook (src/inbox/event-hooks.ts): queues the re-read in the same transaction that applies the
 * callback, so a hint is stored exactly when its inbox row is processed — never lost to a crash in between,
 * never queued for a row that rolls back. Chosen over scanning recent events, which could miss rows that
 * commit out of id order and would need a watermark of its own.
 */
export const refreshHintsHook: EventHook = {
  name: 'syncs.refresh-hints',
  kinds: ['follow.added', 'follow.edited', 'subscription.changed', 'staff.changed', 'group.changed'],
  async apply(ctx, event) {
    const hint = hintOf(event);
    if (hint) ctx.batch.defer(hintWork, hint);
  },
};
