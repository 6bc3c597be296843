import { type Db, idString, select } from '../../storage/sql';
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
    const tags = await select(this.deps.ds, 'SELECT DISTINCT tag_id FROM tag_bindings ORDER BY tag_id');
    for (const r of tags) {
      if (stop()) break;
      add(total, await this.sweepTag(idString(r.tag_id)));
    }
    return total;
  }

  async sweepTag(tagId: string, progress?: (processed: number) => Promise<void>): Promise<EnqueueCounts> {
    const total: EnqueueCounts = { oaAdds: 0, oaRemoves: 0, wecomRelations: 0 };
    let processed = 0;
    for (const source of [holders, remoteHolders]) {
      let after = '';
      for (;;) {
        const ids = await source(this.deps.ds, tagId, after);
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

async function holders(db: Db, tagId: string, after: string): Promise<string[]> {
  const rows = await select(
    db,
    `SELECT DISTINCT customer_id FROM customer_tags WHERE tag_id = ? AND customer_id > ? ORDER BY customer_id LIMIT ${PAGE}`,
    [tagId, after],
  );
  return rows.map((r) => String(r.customer_id));
}

/** Customers WeChat holds the tag on (as far as Siyu knows), for removals owed. */
async function remoteHolders(db: Db, tagId: string, after: string): Promise<string[]> {
  const rows = await select(
    db,
    `SELECT DISTINCT r.customer_id FROM remote_tag_state r
      JOIN tag_bindings b ON b.channel = r.channel AND b.account = r.account AND b.remote_tag_id = r.remote_tag_id
      WHERE b.tag_id = ? AND r.present = 1 AND r.customer_id IS NOT NULL AND r.customer_id > ? ORDER BY r.customer_id LIMIT ${PAGE}`,
    [tagId, after],
  );
  return rows.map((r) => String(r.customer_id));
}

function add(into: EnqueueCounts, c: EnqueueCounts): void {
  into.oaAdds += c.oaAdds;
  into.oaRemoves += c.oaRemoves;
  into.wecomRelations += c.wecomRelations;
}
