import { AuditLogWriter } from '../../audit/audit-log.writer';
import { identityScopes, type IdentityScope } from '../../customers/customer-filter';
import { retryingTransaction } from '../../storage/conflict-retry';
import { PhoneCrypto } from '../../security/phone-crypto';
import type { CustomerTagSource } from '../../storage/entities';
import type { AssignmentService } from '../assignments/assignment.service';
import { outboxSignal } from '../outbox/outbox-signal';
import type { Actor, TagsDeps } from '../tags-deps';
import { countSelection, pageSelection, type Selection } from './customer-selection';

export interface BulkCounts {
  matched: number;
  changed: number;
  unchanged: number;
}

const PAGE = 2_000;

/**
 * (Un)assigns a tag over a selection page by page, one transaction per page (rows, queued pushes), so a
 * million-customer filter never holds one huge transaction; progress is reported after every page.
 */
export class BulkAssigner {
  private readonly phoneCrypto: PhoneCrypto;
  private readonly scopes: readonly IdentityScope[];
  private readonly audit: AuditLogWriter;

  constructor(
    private readonly deps: TagsDeps,
    private readonly assignments: AssignmentService,
  ) {
    this.phoneCrypto = new PhoneCrypto(deps.config.security.dataKey);
    this.scopes = identityScopes(deps.config);
    this.audit = new AuditLogWriter(deps.ds);
  }

  count(sel: Selection): Promise<number> {
    return countSelection(this.deps.ds, sel, this.scopes, this.phoneCrypto);
  }

  async run(
    op: 'assign' | 'unassign',
    tagId: string,
    sel: Selection,
    who: { source: CustomerTagSource; actor: Actor },
    progress?: (processed: number) => Promise<void>,
  ): Promise<BulkCounts> {
    const counts: BulkCounts = { matched: 0, changed: 0, unchanged: 0 };
    let after = '';
    for (;;) {
      const ids = await pageSelection(this.deps.ds, sel, after, PAGE, this.scopes, this.phoneCrypto);
      const last = ids[ids.length - 1];
      if (!last) break;
      counts.changed += await retryingTransaction(this.deps.ds, (m) =>
        this.assignments.applyChunk(m, op, tagId, ids, { source: who.source, assignedBy: who.actor.name }),
      );
      counts.matched += ids.length;
      after = last;
      outboxSignal(this.deps.ds).notify();
      if (progress) await progress(counts.matched);
    }
    counts.unchanged = Math.max(0, counts.matched - counts.changed);
    const selection = 'filter' in sel ? { filter: sel.filter } : { holdersOf: sel.holders };
    await this.audit.write({
      actor: who.actor.name,
      role: who.actor.role ?? null,
      action: `tag.${op}`,
      targetType: 'tag',
      targetId: tagId,
      details: { ...selection, source: who.source, ...counts },
    });
    return counts;
  }
}
