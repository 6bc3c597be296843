import { customerNames } from '../../customers/customer-names';
import { type Db, select } from '../../storage/sql';
import { retryingTransaction } from '../../storage/conflict-retry';
import type { AssignmentService } from '../assignments/assignment.service';
import { outboxSignal } from '../outbox/outbox-signal';
import type { TagsDeps } from '../tags-deps';
import { compileRule } from './rule-compiler';
import type { Rule } from './rule-types';
import type { SegmentPreviewJson } from './segments-api.types';

export interface SegmentRunResult {
  added: number;
  removed: number;
  members: number;
  scanned: number;
}

/** Customers per window: each window is one transaction, so a run of a million customers never holds a long lock. */
const WINDOW = 5_000;

/**
 * Evaluates a segment (DESIGN §5): membership changes become `rule` assignments of the segment's tag, customers
 * who left lose their `rule` row (a manual assignment of the same tag stays). Walks the customers in primary-key
 * windows; inside each the rule runs as SQL and only the changed ids come back.
 */
export class SegmentRunner {
  constructor(
    private readonly deps: TagsDeps,
    private readonly assignments: AssignmentService,
  ) {}

  async preview(rule: Rule, sampleSize = 20): Promise<SegmentPreviewJson> {
    const { sql, params } = compileRule(rule, new Date(this.deps.now()));
    const where = `c.status = 'active' AND ${sql}`;
    const [count] = await select(this.deps.ds, `SELECT COUNT(*) AS n FROM customers c WHERE ${where}`, params);
    const sample = await select(
      this.deps.ds,
      `SELECT c.id, c.display_name FROM customers c WHERE ${where} ORDER BY c.id LIMIT ${Math.trunc(sampleSize)}`,
      params,
    );
    const names = await customerNames(
      this.deps.ds,
      sample.map((r) => ({ id: String(r.id) })),
    );
    return {
      count: Number(count?.n ?? 0),
      sample: sample.map((r) => {
        const id = String(r.id);
        const shown = names.get(id) ?? { name: id, nameSource: 'id' as const };
        return { id, displayName: (r.display_name as string | null) ?? null, ...shown };
      }),
    };
  }

  async run(
    segment: { id: string; tagId: string; rule: Rule },
    progress?: (processed: number, total: number) => Promise<void>,
  ): Promise<SegmentRunResult> {
    const ds = this.deps.ds;
    const { sql, params } = compileRule(segment.rule, new Date(this.deps.now()));
    const who = { source: 'rule' as const, assignedBy: `segment:${segment.id}` };
    const total = Number((await select(ds, 'SELECT COUNT(*) AS n FROM customers'))[0]?.n ?? 0);
    const result: SegmentRunResult = { added: 0, removed: 0, members: 0, scanned: 0 };
    let after = '';
    for (;;) {
      const window = await select(ds, `SELECT id FROM customers WHERE id > ? ORDER BY id LIMIT ${WINDOW}`, [after]);
      const last = window[window.length - 1];
      if (!last) break;
      const hi = String(last.id);
      await retryingTransaction(ds, async (m) => {
        const joined = await this.changes(m, segment.tagId, sql, params, after, hi);
        result.added += await this.assignments.applyChunk(m, 'assign', segment.tagId, joined.added, who);
        result.removed += await this.assignments.applyChunk(m, 'unassign', segment.tagId, joined.left, who);
      });
      result.scanned += window.length;
      after = hi;
      if (progress) await progress(result.scanned, total);
    }
    result.members = Number(
      (
        await select(ds, "SELECT COUNT(*) AS n FROM customer_tags WHERE tag_id = ? AND source = 'rule'", [
          segment.tagId,
        ])
      )[0]?.n ?? 0,
    );
    outboxSignal(ds).notify();
    return result;
  }

  /** Within (lo, hi]: customers the rule now matches without a `rule` row, and `rule` rows of customers it no longer matches. */
  private async changes(
    db: Db,
    tagId: string,
    rule: string,
    params: unknown[],
    lo: string,
    hi: string,
  ): Promise<{ added: string[]; left: string[] }> {
    const added = await select(
      db,
      `SELECT c.id FROM customers c WHERE c.id > ? AND c.id <= ? AND c.status = 'active' AND ${rule}
        AND NOT EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag_id = ? AND ct.source = 'rule')`,
      [lo, hi, ...params, tagId],
    );
    const left = await select(
      db,
      `SELECT r.customer_id FROM customer_tags r WHERE r.tag_id = ? AND r.source = 'rule' AND r.customer_id > ? AND r.customer_id <= ?
        AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = r.customer_id AND c.status = 'active' AND ${rule})`,
      [tagId, lo, hi, ...params],
    );
    return { added: added.map((r) => String(r.id)), left: left.map((r) => String(r.customer_id)) };
  }
}
