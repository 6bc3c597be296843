import type { EntityManager } from '../../storage';
import { retryingTransaction } from '../../storage/conflict-retry';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import type { CustomerTagSource } from '../../storage/entities';
import type { Db } from '../../storage/sql';
import { findTags } from '../../storage/tags/tag.repository';
import { OutboxWriter } from '../outbox/outbox-writer';
import { withTagEvents } from './tag-webhook-events';
import { outboxSignal } from '../outbox/outbox-signal';
import { tagInvalid, tagNotFound } from '../tag-errors';
import type { Actor, TagsDeps } from '../tags-deps';
import { resolveCustomerIds } from './customer-ids';
import {
  OPERATOR_SOURCES,
  addAssignments,
  removeAssignments,
  stillTagged,
  tagsOfCustomer,
  type CustomerTagView,
} from '../../storage/tags/customer-tag.repository';

export interface AssignCounts {
  /** Distinct ids asked for. */
  requested: number;
  /** Live customers they resolved to (merged ids count as their survivor). */
  matched: number;
  /** Assignment rows added or removed. */
  changed: number;
  /** Matched customers that already were in the requested state. */
  unchanged: number;
  /** Unassign only: matched customers that keep the tag because a segment (`rule`) still wants it. */
  stillTagged?: number;
  /** Requested ids that are no live customer. */
  missing: string[];
}

/** Largest `customerIds` list answered inline; bigger sets go through `{ filter }` and a bulk job. */
export const MAX_INLINE_IDS = 10_000;

/**
 * Desired-state changes (DESIGN §5): writes `customer_tags`, queues the pushes that make WeChat match and
 * records who did it in `audit_log`, all in one transaction, then wakes the local pusher.
 */
export class AssignmentService {
  private readonly writer: OutboxWriter;
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: TagsDeps) {
    this.writer = new OutboxWriter(deps.config.tags.wecomFanout);
    this.audit = new AuditLogWriter(deps.ds);
  }

  /** `POST /api/v1/customers/:id/tags {tagIds}`: manual assignments; returns the customer's tags. */
  async addToCustomer(
    customerId: string,
    tagIds: readonly string[],
    actor: Actor,
  ): Promise<{ customerId: string; tags: CustomerTagView[] }> {
    const tags = await this.liveTags(tagIds);
    const result = await retryingTransaction(this.deps.ds, async (m) => {
      const id = await this.customer(m, customerId);
      const now = new Date(this.deps.now());
      const added: string[] = [];
      for (const tag of tags) {
        const n = await withTagEvents(m, 'assign', tag, [id], ['manual'], now, () =>
          addAssignments(m, tag, [id], 'manual', actor.name, now),
        );
        if (n > 0) added.push(tag);
        await this.writer.enqueueCustomers(m, tag, [id], now);
      }
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'customer.tags.add',
          targetType: 'customer',
          targetId: id,
          details: { tagIds: tags, added },
        },
        m,
      );
      return { customerId: id, tags: await tagsOfCustomer(m, id) };
    });
    outboxSignal(this.deps.ds).notify();
    return result;
  }

  /** `DELETE /api/v1/customers/:id/tags/:tagId`: removes the operator-made sources (a segment's `rule` row stays). */
  async removeFromCustomer(
    customerId: string,
    tagId: string,
    actor: Actor,
  ): Promise<{ customerId: string; tags: CustomerTagView[]; keptBy: CustomerTagSource[] }> {
    await this.liveTags([tagId]);
    const result = await retryingTransaction(this.deps.ds, async (m) => {
      const id = await this.customer(m, customerId);
      const now = new Date(this.deps.now());
      const removed = await withTagEvents(m, 'unassign', tagId, [id], OPERATOR_SOURCES, now, () =>
        removeAssignments(m, tagId, [id], OPERATOR_SOURCES),
      );
      await this.writer.enqueueCustomers(m, tagId, [id], now);
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'customer.tags.remove',
          targetType: 'customer',
          targetId: id,
          details: { tagId, removed },
        },
        m,
      );
      const tags = await tagsOfCustomer(m, id);
      return { customerId: id, tags, keptBy: tags.filter((t) => t.id === tagId).map((t) => t.source) };
    });
    outboxSignal(this.deps.ds).notify();
    return result;
  }

  /** `POST /api/v1/tags/:id/assign {customerIds}` (≤ MAX_INLINE_IDS). */
  async assign(tagId: string, customerIds: readonly string[], actor: Actor): Promise<AssignCounts> {
    return this.bulk('assign', tagId, customerIds, actor);
  }

  /** `POST /api/v1/tags/:id/unassign {customerIds}`. */
  async unassign(tagId: string, customerIds: readonly string[], actor: Actor): Promise<AssignCounts> {
    return this.bulk('unassign', tagId, customerIds, actor);
  }

  /**
   * One chunk of a change, inside the caller's transaction: rows written, pushes queued. Used by the inline
   * endpoints, bulk jobs and segment runs. Returns the number of assignment rows added or removed.
   */
  async applyChunk(
    db: Db,
    op: 'assign' | 'unassign',
    tagId: string,
    customerIds: readonly string[],
    who: { source: CustomerTagSource; assignedBy: string | null },
  ): Promise<number> {
    if (customerIds.length === 0) return 0;
    const now = new Date(this.deps.now());
    const sources = op === 'assign' || who.source !== 'manual' ? [who.source] : OPERATOR_SOURCES;
    const changed = await withTagEvents(db, op, tagId, customerIds, sources, now, () =>
      op === 'assign'
        ? addAssignments(db, tagId, customerIds, who.source, who.assignedBy, now)
        : removeAssignments(db, tagId, customerIds, sources),
    );
    if (changed > 0) await this.writer.enqueueCustomers(db, tagId, customerIds, now);
    return changed;
  }

  private async bulk(
    op: 'assign' | 'unassign',
    tagId: string,
    customerIds: readonly string[],
    actor: Actor,
  ): Promise<AssignCounts> {
    await this.liveTags([tagId]);
    if (customerIds.length > MAX_INLINE_IDS)
      throw tagInvalid(`at most ${MAX_INLINE_IDS} customerIds per call; use { filter } for larger sets`);
    const counts = await retryingTransaction(this.deps.ds, async (m) => {
      const { active, missing } = await resolveCustomerIds(m, customerIds);
      const changed = await this.applyChunk(m, op, tagId, active, { source: 'manual', assignedBy: actor.name });
      const counts: AssignCounts = {
        requested: new Set(customerIds).size,
        matched: active.length,
        changed,
        unchanged: Math.max(0, active.length - changed),
        missing,
        ...(op === 'unassign' ? { stillTagged: await stillTagged(m, tagId, active) } : {}),
      };
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: `tag.${op}`,
          targetType: 'tag',
          targetId: tagId,
          details: {
            ...counts,
            customerIds: active.length <= 100 ? active : undefined,
            missing: missing.slice(0, 100),
          },
        },
        m,
      );
      return counts;
    });
    outboxSignal(this.deps.ds).notify();
    return counts;
  }

  private async liveTags(tagIds: readonly string[]): Promise<string[]> {
    const ids = [...new Set(tagIds)];
    const found = new Set((await findTags(this.deps.ds, ids)).map((t) => t.id));
    const unknown = ids.filter((id) => !found.has(id));
    if (unknown.length === 1 && ids.length === 1) throw tagNotFound(`tag ${unknown[0]}`);
    if (unknown.length > 0) throw tagInvalid(`unknown tag ids: ${unknown.join(', ')}`, { unknown });
    return ids;
  }

  private async customer(m: EntityManager, id: string): Promise<string> {
    const { active } = await resolveCustomerIds(m, [id]);
    if (!active[0]) throw tagNotFound(`customer ${id}`);
    return active[0];
  }
}
