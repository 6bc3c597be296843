import { customerNames } from '../../customers/customer-names';
import {
  countCustomers,
  customerWindow,
  matchingSample,
  membershipChanges,
} from '../../storage/segments/segment-membership.repository';
import { countHolders } from '../../storage/tags/customer-tag.repository';
import { retryingTransaction } from '../../storage/conflict-retry';
import type { AssignmentService } from '../assignments/assignment.service';
import { outboxSignal } from '../outbox/outbox-signal';
import type { TagsDeps } from '../tags-deps';
import { compileRule } from '../../storage/segments/rule-compiler';
import type { Rule } from './rule-types';
import type { SegmentPreviewJson } from './segments-api.types';
import { recordWebhookEvents } from '../../webhooks/webhook-event.writer';

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
    const { count, sample } = await matchingSample(
      this.deps.ds,
      compileRule(rule, new Date(this.deps.now()), 'whole'),
      sampleSize,
    );
    const names = await customerNames(
      this.deps.ds,
      sample.map((r) => ({ id: r.id })),
    );
    return {
      count,
      sample: sample.map((r) => {
        const shown = names.get(r.id) ?? { name: r.id, nameSource: 'id' as const };
        return { ...r, ...shown };
      }),
    };
  }

  async run(
    segment: { id: string; tagId: string; rule: Rule },
    progress?: (processed: number, total: number) => Promise<void>,
  ): Promise<SegmentRunResult> {
    const ds = this.deps.ds;
    const rule = compileRule(segment.rule, new Date(this.deps.now()));
    const who = { source: 'rule' as const, assignedBy: `segment:${segment.id}` };
    const total = await countCustomers(ds);
    const result: SegmentRunResult = { added: 0, removed: 0, members: 0, scanned: 0 };
    let after = '';
    for (;;) {
      const window = await customerWindow(ds, after, WINDOW);
      const hi = window[window.length - 1];
      if (hi === undefined) break;
      await retryingTransaction(ds, async (m) => {
        const joined = await membershipChanges(m, segment.tagId, rule, after, hi);
        result.added += await this.assignments.applyChunk(m, 'assign', segment.tagId, joined.added, who);
        result.removed += await this.assignments.applyChunk(m, 'unassign', segment.tagId, joined.left, who);
        const at = new Date(this.deps.now());
        await recordWebhookEvents(
          m,
          'segment.joined',
          joined.added.map((customerId) => ({ customerId, segmentId: segment.id, tagId: segment.tagId })),
          at,
        );
        await recordWebhookEvents(
          m,
          'segment.left',
          joined.left.map((customerId) => ({ customerId, segmentId: segment.id, tagId: segment.tagId })),
          at,
        );
      });
      result.scanned += window.length;
      after = hi;
      if (progress) await progress(result.scanned, total);
    }
    result.members = await countHolders(ds, segment.tagId, 'rule');
    outboxSignal(ds).notify();
    return result;
  }
}
