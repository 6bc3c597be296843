import { applyFollow } from '../events/follow.writer';
import { fitKey, writeTimeline } from '../events/timeline.writer';
import type { Db } from '../storage/sql';
import { tagsOfCustomer } from '../storage/tags/customer-tag.repository';
import type { TransferRecord } from '../storage/transfers/transfer.repository';
import { endRelationByTransfer } from '../storage/transfers/transfer-follows.repository';
import { OutboxWriter } from '../tags/outbox/outbox-writer';

/**
 * What a completed transfer does in Siyu (DESIGN §10.3), in the caller's transaction: the old relation ends with
 * reason `transferred` (never a loss), the new one starts, the timeline names both members, and the customer's
 * desired tags are queued for the new relation through the outbox. The sidebar follows `wecom_follows`, so the
 * customer shows to the receiver and no longer to the previous member. Idempotent: WeChat's own
 * del_external_contact / add_external_contact callbacks for the same move change nothing more.
 */
export async function applyTransferDone(
  db: Db,
  t: TransferRecord,
  item: { externalUserid: string; customerId: string | null },
  at: Date,
  writer: OutboxWriter,
  now: Date,
): Promise<void> {
  await endRelationByTransfer(db, t.corpId, t.fromUserid, item.externalUserid, at, now);
  await applyFollow(
    db,
    {
      corpId: t.corpId,
      staffUserId: t.toUserid,
      externalUserId: item.externalUserid,
      customerId: item.customerId,
      occurredAt: at,
      change: 'added',
    },
    now,
  );
  if (!item.customerId) return;
  await writeTimeline(db, {
    customerId: item.customerId,
    source: 'wecom',
    account: t.corpId,
    type: 'wecom.follow_transferred',
    occurredAt: at,
    payload: {
      transferId: t.id,
      kind: t.kind,
      fromUserId: t.fromUserid,
      toUserId: t.toUserid,
      externalUserId: item.externalUserid,
    },
    dedupeKey: fitKey(`transfer:${t.id}:${item.externalUserid}`),
  });
  const tagIds = new Set((await tagsOfCustomer(db, item.customerId)).map((tag) => tag.id));
  for (const tagId of tagIds) await writer.enqueueCustomers(db, tagId, [item.customerId], now);
}
