import { WechatApiError } from '../../../connectors/common/http/wechat-api-error';
import { bindingsOfAccount, type BindingRecord } from '../../storage/tags/binding.repository';
import type { PushContext } from './push-context';
import { overlayKey } from './push-outcome';
import type { OutboxItem, WecomPayload } from './outbox-types';
import { statesOf, type RemoteState, type RemoteStateWrite } from '../../storage/tags/remote-tag-state.repository';
import { planRelation, type Bound, type Plan } from './wecom-plan';
import {
  desiredWecomTags,
  fanoutTargets,
  relationSubject,
  relationsOfCustomers,
  relationsOfExternalUsers,
  type Relation,
} from '../../storage/tags/wecom-relations.repository';

type WecomItem = OutboxItem & { payload: WecomPayload };

/**
 * Pushes the WeCom rows of one corp (wechat-api.md §5.6): one `mark_tag` per (staff, external_userid) with
 * every add and remove of that relation in one call. The lists come from the state of the moment: catalog tags
 * the customer should carry (on every relation, or the newest, per `tags.wecomFanout`) that WeChat does not
 * hold yet, and bound tags Siyu knows are there that nobody wants any more. Tags only a sync reported (never
 * pushed or observed by Siyu) are not removed: they may be a staff member's own.
 */
export async function pushWecomAccount(ctx: PushContext, corpId: string, items: WecomItem[]): Promise<void> {
  const relations = new Map(
    (await relationsOfExternalUsers(ctx.ds, corpId, [...new Set(items.map((i) => i.payload.externalUserid))])).map(
      (r) => [relationSubject(r), r],
    ),
  );
  const customerIds = [...new Set([...relations.values()].map((r) => r.customerId).filter((c): c is string => !!c))];
  const targets = fanoutTargets(
    ctx.fanout === 'all' ? [...relations.values()] : await relationsOfCustomers(ctx.ds, corpId, customerIds),
    ctx.fanout,
  );
  const desired = await desiredWecomTags(ctx.ds, corpId, customerIds);
  const states = groupStates(
    await statesOf(ctx.ds, 'wecom', corpId, [...new Set(items.map((i) => relationSubject(i.payload)))]),
  );
  const bindings = await bindingsOfAccount(ctx.ds, 'wecom', corpId);
  const bound = await ensureWanted(ctx, corpId, bindings, new Set([...desired.values()].flatMap((s) => [...s])));

  await Promise.all(
    items.map(async (item) => {
      // A relation Siyu no longer stores (its customer was erased): only removals of what Siyu pushed are left.
      const rel = relations.get(relationSubject(item.payload)) ?? {
        id: '',
        userid: item.payload.userid,
        externalUserid: item.payload.externalUserid,
        customerId: null,
        createdTime: null,
        reportedTags: [],
      };
      const known = withUnflushed(ctx, corpId, relationSubject(rel), states.get(relationSubject(rel)), bindings);
      const plan = planRelation(
        rel,
        desired.get(rel.customerId ?? '') ?? new Set(),
        bindings,
        bound,
        known,
        targets.has(rel.id),
      );
      if (plan.add.length === 0 && plan.remove.length === 0) {
        if (plan.bindingError !== undefined) ctx.outcome.fail(item, plan.bindingError, item.payload);
        else ctx.outcome.done(item, undefined, true);
        return;
      }
      await ctx.limiter('wecom', corpId).run(() => markTag(ctx, corpId, item, rel, plan));
    }),
  );
}

/** Binds (creates or adopts in WeChat) every tag some customer of this batch should carry; a new failure is reported on the rows that wanted the tag. */
async function ensureWanted(
  ctx: PushContext,
  corpId: string,
  bindings: BindingRecord[],
  wanted: Set<string>,
): Promise<Map<string, Bound | Error>> {
  const out = new Map<string, Bound | Error>();
  for (const b of bindings) {
    // A binding that failed before is reported on the tag, not again on every relation push.
    if (!wanted.has(b.tagId) || b.status === 'failed') continue;
    try {
      out.set(b.tagId, await ctx.limiter('wecom', corpId).run(() => ctx.binder.ensure(b)));
    } catch (err) {
      out.set(b.tagId, err instanceof Error ? err : new Error(String(err)));
    }
  }
  return out;
}

async function markTag(ctx: PushContext, corpId: string, item: WecomItem, rel: Relation, plan: Plan): Promise<void> {
  const payload: WecomPayload = { ...item.payload, add: plan.add, remove: plan.remove };
  const subject = relationSubject(rel);
  const writes = (ids: string[], present: boolean): RemoteStateWrite[] =>
    ids.map((remoteTagId) => ({ subject, remoteTagId, customerId: rel.customerId, present }));
  const blocked = ctx.blockedUntil('wecom', corpId);
  if (blocked) return ctx.outcome.defer(item, blocked, payload);
  try {
    ctx.stats.calls++;
    await ctx.clients.wecom(corpId).corpTags.markTag({
      userid: rel.userid,
      externalUserid: rel.externalUserid,
      addTag: plan.add,
      removeTag: plan.remove,
    });
  } catch (err) {
    ctx.noteFailure('wecom', corpId, err);
    if (err instanceof WechatApiError && err.category === 'TAG_GONE') await ctx.onInvalidCorpTag(corpId);
    const { dead, errcode } = ctx.outcome.fail(item, err, payload);
    if (dead)
      ctx.outcome.stateFailed('wecom', corpId, errcode, [...writes(plan.add, false), ...writes(plan.remove, true)]);
    return;
  }
  ctx.outcome.statePushed('wecom', corpId, [...writes(plan.add, true), ...writes(plan.remove, false)]);
  if (plan.bindingError !== undefined) ctx.outcome.fail(item, plan.bindingError, payload);
  else ctx.outcome.done(item);
}

/** The relation's known remote state with the previous round's not yet written pushes applied. */
function withUnflushed(
  ctx: PushContext,
  corpId: string,
  subject: string,
  states: Map<string, RemoteState> | undefined,
  bindings: BindingRecord[],
): Map<string, RemoteState> | undefined {
  if (ctx.unflushed.size === 0) return states;
  let out = states;
  for (const b of bindings) {
    if (!b.remoteTagId) continue;
    const present = ctx.unflushed.get(overlayKey('wecom', corpId, subject, b.remoteTagId));
    if (present === undefined) continue;
    out = new Map(out);
    const prev = out.get(b.remoteTagId);
    out.set(b.remoteTagId, {
      subject,
      remoteTagId: b.remoteTagId,
      customerId: prev?.customerId ?? null,
      present,
      lastErrcode: null,
      drifted: false,
      pushedAt: null,
    });
  }
  return out;
}

function groupStates(states: RemoteState[]): Map<string, Map<string, RemoteState>> {
  const out = new Map<string, Map<string, RemoteState>>();
  for (const s of states) {
    let m = out.get(s.subject);
    if (!m) out.set(s.subject, (m = new Map()));
    m.set(s.remoteTagId, s);
  }
  return out;
}
