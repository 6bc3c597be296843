import type { NormalizedEvent } from '../../../connectors/common/normalized-event';
import type { ApplyContext } from '../../inbox/event-applier';
import type { EventHook } from '../../inbox/event-hooks';
import { type Db, idString, select } from '../../storage/sql';
import { queueJob } from '../bulk/bulk-job.repository';
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
      await queueBoundTags(
        ctx.em,
        'wecom',
        e.account,
        await customerOfFollow(ctx.em, e.account, e.staffUserId, e.externalUserId),
        ctx.now,
      );
    } else if (e.kind === 'subscription.changed' && e.subscribed) {
      const rows = await select(ctx.em, 'SELECT customer_id FROM oa_subscriptions WHERE app_id = ? AND openid = ?', [
        e.account,
        e.openid,
      ]);
      await queueBoundTags(ctx.em, 'oa', e.account, (rows[0]?.customer_id as string | null) ?? null, ctx.now);
    }
  },
};

async function customerOfFollow(
  db: Db,
  corpId: string,
  userid: string,
  externalUserid: string,
): Promise<string | null> {
  const rows = await select(
    db,
    'SELECT customer_id FROM wecom_follows WHERE corp_id = ? AND staff_userid = ? AND external_userid = ?',
    [corpId, userid, externalUserid],
  );
  return (rows[0]?.customer_id as string | null) ?? null;
}

async function queueBoundTags(
  db: Db,
  channel: 'oa' | 'wecom',
  account: string,
  customerId: string | null,
  now: Date,
): Promise<void> {
  if (!customerId) return;
  const rows = await select(
    db,
    'SELECT DISTINCT ct.tag_id FROM customer_tags ct JOIN tag_bindings b ON b.tag_id = ct.tag_id AND b.channel = ? AND b.account = ? WHERE ct.customer_id = ?',
    [channel, account, customerId],
  );
  for (const r of rows) await writer.enqueueCustomers(db, idString(r.tag_id), [customerId], now);
}
