import type { BindingRecord } from '../../storage/tags/binding.repository';
import type { RemoteState } from '../../storage/tags/remote-tag-state.repository';
import type { Relation } from '../../storage/tags/wecom-relations.repository';

export type Bound = BindingRecord & { remoteTagId: string };

/** One relation's `mark_tag` lists (remote corp tag ids). */
export interface Plan {
  add: string[];
  remove: string[];
  /** A wanted tag whose binding could not be created (pushed without it; the row reports it). */
  bindingError?: unknown;
}

/**
 * What one (staff, external_userid) relation needs from WeChat now (DESIGN §5): wanted tags WeChat does not hold
 * (only on a fan-out target, and not refused before); bound tags Siyu knows are there that nobody wants. Presence
 * comes from Siyu's remote state, else from what a sync reported; a tag only a sync reported is never removed
 * (it may be a staff member's own).
 */
export function planRelation(
  rel: Relation,
  wanted: ReadonlySet<string>,
  bindings: readonly BindingRecord[],
  bound: ReadonlyMap<string, Bound | Error>,
  states: ReadonlyMap<string, RemoteState> | undefined,
  isTarget: boolean,
): Plan {
  const plan: Plan = { add: [], remove: [] };
  for (const tagId of wanted) {
    const b = bound.get(tagId);
    if (b instanceof Error) {
      plan.bindingError = b;
      continue;
    }
    if (!b) continue;
    const state = states?.get(b.remoteTagId);
    const present = state ? state.present : rel.reportedTags.includes(b.remoteTagId);
    if (!present && isTarget && state?.lastErrcode == null) plan.add.push(b.remoteTagId);
  }
  for (const b of bindings) {
    if (!b.remoteTagId || wanted.has(b.tagId)) continue;
    if (states?.get(b.remoteTagId)?.present) plan.remove.push(b.remoteTagId);
  }
  return plan;
}
