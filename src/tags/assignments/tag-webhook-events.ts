import type { CustomerTagSource } from '../../storage/entities/customer-tag.entity';
import type { Db } from '../../storage/sql';
import { holdersAmong } from '../../storage/tags/customer-tag.repository';
import { findTag } from '../../storage/tags/tag.repository';
import { recordWebhookEvents, webhookWanted } from '../../webhooks/webhook-event.writer';

/**
 * Runs an assignment change in the caller's transaction and records `tag.assigned` / `tag.removed` (DESIGN §11)
 * for the customers whose rows of these sources it actually added or removed. While no subscription wants the
 * event it runs the change alone. Returns what the change returned.
 */
export async function withTagEvents(
  db: Db,
  op: 'assign' | 'unassign',
  tagId: string,
  customerIds: readonly string[],
  sources: readonly CustomerTagSource[],
  now: Date,
  change: () => Promise<number>,
): Promise<number> {
  const type = op === 'assign' ? 'tag.assigned' : 'tag.removed';
  if (customerIds.length === 0 || !(await webhookWanted(db, type))) return change();
  const before = await holdersAmong(db, tagId, sources, customerIds);
  const changed = await change();
  if (changed === 0) return changed;
  const ids = [...new Set(customerIds)].filter((id) => (op === 'assign' ? !before.has(id) : before.has(id)));
  const tagName = (await findTag(db, tagId, true))?.name ?? null;
  const source = sources[0]!;
  await recordWebhookEvents(
    db,
    type,
    ids.map((customerId) => ({ customerId, tagId, tagName, source })),
    now,
  );
  return changed;
}
