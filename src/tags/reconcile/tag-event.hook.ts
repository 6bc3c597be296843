import type { NormalizedEvent } from '../../../connectors/common/normalized-event';
import type { ApplyContext } from '../../inbox/event-applier';
import type { EventHook } from '../../inbox/event-hooks';
import type { DeferredWork } from '../../inbox/inbox-batch';
import { boundTagsOfCustomers } from '../../storage/tags/customer-tag.repository';
import { queueJob } from '../../storage/tags/bulk-job.repository';
import { OutboxWriter } from '../outbox/outbox-writer';

/** Fanout `all` queues a superset; the pusher applies `tags.wecomFanout` when it computes each call. */
const writer = new OutboxWriter('all');

/**
 * The tags module's part of inbound events (DESIGN §5), inside the inbox transaction, so it only writes rows:
 * - `tag.changed` (change_external_tag) queues a re-read of the corp tag library;
 * - `follow.added` queues the new relation for the customer's tags bound to the corp (the tags a relation
 *   actually carries after add/edit_external_contact are recorded by the syncs' re-read, relation-read.hook.ts);
 * - `subscription.changed` to subscribed queues the customer's tags bound to that OA.
 * The library re-read runs in the tags worker (`bulk_jobs` kind `tags.corp-library`).
 */
export const tagEventHook: EventHook = {
  name: 'tags',
  kinds: ['tag.changed', 'follow.added', 'subscription.changed'],
  async apply(ctx: ApplyContext, e: NormalizedEvent): Promise<void> {
    if (e.kind === 'tag.changed' && e.channel === 'wecom') {
      await queueJob(ctx.em, 'tags.corp-library', { corpId: e.account }, 'wecom', ctx.now, { coalesce: true });
    } else if (e.kind === 'follow.added') {
      // The row's own resolution of the contact (the applier linked the relation to that customer).
      const customerId = await ctx.customerOf(
        { type: 'wecom_external_userid', scope: e.account, value: e.externalUserId },
        'wecom.follow',
      );
      if (customerId) ctx.batch.defer(boundTagsWork, { channel: 'wecom', account: e.account, customerId });
    } else if (e.kind === 'subscription.changed' && e.subscribed) {
      // The row's own resolution of the openid (the applier linked the subscription to that customer).
      const customerId = await ctx.customerOf(
        { type: 'oa_openid', scope: e.account, value: e.openid },
        'oa.subscription',
      );
      if (customerId) ctx.batch.defer(boundTagsWork, { channel: 'oa', account: e.account, customerId });
    }
  },
};

interface BoundTagsCheck {
  channel: 'oa' | 'wecom';
  account: string;
  customerId: string;
}

/**
 * The customers' tags bound to the channel account, queued for their new relation or subscription: one read per
 * account for the whole batch and one enqueue per tag, at the batch's end (so a tag a later row of the batch
 * gave them is queued too).
 */
const boundTagsWork: DeferredWork<BoundTagsCheck> = {
  name: 'tags.bound-tags',
  async flush(em, checks, now) {
    const byAccount = new Map<string, BoundTagsCheck[]>();
    for (const c of checks) {
      const key = `${c.channel}\u0000${c.account}`;
      const list = byAccount.get(key);
      if (list) list.push(c);
      else byAccount.set(key, [c]);
    }
    for (const list of byAccount.values()) {
      const { channel, account } = list[0]!;
      const customerIds = [...new Set(list.map((c) => c.customerId))];
      const byTag = await boundTagsOfCustomers(em, channel, account, customerIds);
      for (const [tagId, ids] of [...byTag].sort(([a], [b]) => (a < b ? -1 : 1)))
        await writer.enqueueCustomers(em, tagId, ids, now);
    }
  },
};
