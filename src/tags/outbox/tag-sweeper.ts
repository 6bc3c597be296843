import { boundTagIds } from '../../storage/tags/binding.repository';
import { pageTagged } from '../../storage/tags/customer-tag.repository';
import { pageRemoteHolders } from '../../storage/tags/remote-tag-state.repository';
import { retryingTransaction } from '../../storage/conflict-retry';
import type { TagsDeps } from '../tags-deps';
import { OutboxWriter, type EnqueueCounts } from './outbox-writer';
import { outboxSignal } from './outbox-signal';

const PAGE = 2_000;

/**
 * The safety net of the desired state (DESIGN §5): walks every customer that should carry a bound tag or is
 * known to hold it in WeChat and queues whatever differs. It catches what no assignment call saw: a customer
 * who gains an OA openid or a WeCom relation after being tagged, tags moved by an identity merge, a binding
 * added to a tag that already has members, removals of a deleted tag. Pages of customers, one transaction each.
 */
export class TagSweeper {
  private readonly writer: OutboxWriter;

  constructor(private readonly deps: TagsDeps) {
    this.writer = new OutboxWriter(deps.config.tags.wecomFanout);
  }

  async sweepAll(stop: () => boolean = () => false): Promise<EnqueueCounts> {
    const total: EnqueueCounts = { oaAdds: 0, oaRemoves: 0, wecomRelations: 0 };
    for (const tagId of await boundTagIds(this.deps.ds)) {
      if (stop()) break;
      add(total, await this.sweepTag(tagId));
    }
    return total;
  }

  async sweepTag(tagId: string, progress?: (processed: number) => Promise<void>): Promise<EnqueueCounts> {
    const total: EnqueueCounts = { oaAdds: 0, oaRemoves: 0, wecomRelations: 0 };
    let processed = 0;
    for (const source of [pageTagged, pageRemoteHolders]) {
      let after = '';
      for (;;) {
        const ids = await source(this.deps.ds, tagId, after, PAGE);
        const last = ids[ids.length - 1];
        if (!last) break;
        add(
          total,
          await retryingTransaction(this.deps.ds, (m) =>
            this.writer.enqueueCustomers(m, tagId, ids, new Date(this.deps.now())),
          ),
        );
        after = last;
        processed += ids.length;
        if (progress) await progress(processed);
      }
    }
    outboxSignal(this.deps.ds).notify();
    return total;
  }
}

function add(into: EnqueueCounts, c: EnqueueCounts): void {
  into.oaAdds += c.oaAdds;
  into.oaRemoves += c.oaRemoves;
  into.wecomRelations += c.wecomRelations;
}
