import type { NormalizedEvent } from '../../connectors/common/normalized-event';
import type { ApplyContext } from '../inbox/event-applier';
import type { EventHook } from '../inbox/event-hooks';
import { setItemOutcomes, settleTransfer, waitingItemsTo } from '../storage/transfers/transfer.repository';
import { POLL_INTERVAL_MS } from './transfer.service';

/**
 * transfer_fail callbacks (wechat-api-wecom-ops.md §5.6) update the transfer at once, inside the inbox
 * transaction: the callback names the takeover (UserID) and the customer, so the waiting item of that customer
 * whose receiver is that member becomes `refused` (customer_refused) or `failed` (customer_limit_exceed). The
 * poll job reads transfer_result anyway, so a lost callback only delays the news.
 */
export const transferFailHook: EventHook = {
  name: 'transfers.fail',
  kinds: ['follow.transfer_failed'],
  async apply(ctx: ApplyContext, e: NormalizedEvent): Promise<void> {
    if (e.kind !== 'follow.transfer_failed') return;
    const reason = e.failReason ?? 'customer_refused';
    for (const { transferId } of await waitingItemsTo(ctx.em, e.account, e.externalUserId, e.staffUserId)) {
      await setItemOutcomes(
        ctx.em,
        transferId,
        [{ externalUserid: e.externalUserId, status: reason === 'customer_refused' ? 'refused' : 'failed', reason }],
        ctx.now,
      );
      await settleTransfer(ctx.em, transferId, new Date(ctx.now.getTime() + POLL_INTERVAL_MS), ctx.now);
    }
  },
};
