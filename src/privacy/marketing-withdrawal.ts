import type { Db } from '../storage/sql';
import type { CustomerTagSource } from '../storage/entities';
import { removeAssignments, tagIdsFrom } from '../storage/tags/customer-tag.repository';
import { withTagEvents } from '../tags/assignments/tag-webhook-events';
import { OutboxWriter } from '../tags/outbox/outbox-writer';

/** The tags a brand gives without a person deciding it for this customer: a segment's rule, a channel code's tags. */
const AUTOMATIC: readonly CustomerTagSource[] = ['rule', 'channel'];
const writer = new OutboxWriter('all');

/**
 * A withdrawn `marketing` consent (DESIGN §12): the person's `rule` and `channel` tags go, and the outbox takes
 * each off WeChat where no other source still holds it. Segment runs and channel codes skip the person from then on
 * (MARKETING_ALLOWED). Tags a person gave by hand stay: they are an operator's or a rep's own decision.
 */
export async function withdrawMarketingTags(db: Db, customerId: string, now: Date): Promise<number> {
  let removed = 0;
  for (const tagId of await tagIdsFrom(db, customerId, AUTOMATIC)) {
    const n = await withTagEvents(db, 'unassign', tagId, [customerId], AUTOMATIC, now, () =>
      removeAssignments(db, tagId, [customerId], AUTOMATIC),
    );
    if (n > 0) await writer.enqueueCustomers(db, tagId, [customerId], now);
    removed += n;
  }
  return removed;
}
