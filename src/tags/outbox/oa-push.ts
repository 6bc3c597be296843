import { WechatApiError } from '../../../connectors/common/http/wechat-api-error';
import { bindingsOfAccount, markFailed, type BindingRecord } from '../../storage/tags/binding.repository';
import { needsAdd, needsRemove, oaTargetsOfOpenids, type OaTarget } from '../../storage/tags/oa-targets.repository';
import { bisectPush } from './oa-bisect';
import type { PushContext } from './push-context';
import { BindingFailedError } from './push-errors';
import { overlayKey } from './push-outcome';
import { statesOf } from '../../storage/tags/remote-tag-state.repository';
import type { OaPayload, OutboxItem } from './outbox-types';

type OaItem = OutboxItem & { payload: OaPayload };

/**
 * Pushes the OA rows of one appid (wechat-api.md §3): per catalog tag, ensures the remote tag, re-checks every
 * openid against the current desired/remote state (drops what is already right), then one
 * batchtagging/batchuntagging call per row. WeChat refuses a whole batch for one bad openid, so such a batch is
 * bisected until the refused openids are isolated; they are split into a dead row with the errcode and the
 * rest is pushed.
 */
export async function pushOaAccount(ctx: PushContext, appId: string, items: OaItem[]): Promise<void> {
  const bindings = new Map((await bindingsOfAccount(ctx.ds, 'oa', appId)).map((b) => [b.tagId, b]));
  const byTag = new Map<string, OaItem[]>();
  for (const item of items) byTag.set(item.tagId ?? '', [...(byTag.get(item.tagId ?? '') ?? []), item]);
  await Promise.all([...byTag].map(([tagId, rows]) => pushOaTag(ctx, appId, tagId, bindings.get(tagId), rows)));
}

async function pushOaTag(
  ctx: PushContext,
  appId: string,
  tagId: string,
  binding: BindingRecord | undefined,
  rows: OaItem[],
): Promise<void> {
  let bound: BindingRecord & { remoteTagId: string };
  try {
    if (!binding) throw new BindingFailedError(null, `tag ${tagId} is not bound to ${appId}`);
    bound = await ctx.limiter('oa', appId).run(() => ctx.binder.ensure(binding));
  } catch (err) {
    for (const row of rows) ctx.outcome.fail(row, err);
    return;
  }
  const openids = [...new Set(rows.flatMap((r) => r.payload.openids))];
  const targets: Map<string, OaTarget> = new Map(
    (await oaTargetsOfOpenids(ctx.ds, tagId, appId, bound.remoteTagId, openids)).map((t) => {
      const unflushed = ctx.unflushed.get(overlayKey('oa', appId, t.openid, bound.remoteTagId));
      return [t.openid, unflushed === undefined ? t : { ...t, present: unflushed }];
    }),
  );
  await addOrphans(ctx, appId, bound.remoteTagId, openids, targets);
  await Promise.all(
    rows.map(async (row) => {
      const needs = row.payload.op === 'add' ? needsAdd : needsRemove;
      const todo = row.payload.openids.map((o) => targets.get(o)).filter((t): t is OaTarget => !!t && needs(t));
      if (todo.length === 0) return ctx.outcome.done(row, undefined, true);
      await ctx.limiter('oa', appId).run(() => pushRow(ctx, appId, bound, row, todo));
    }),
  );
}

/**
 * Openids no customer holds any more (erased) but WeChat has the tag on, as Siyu pushed it: nobody wants the tag,
 * so a queued removal goes ahead.
 */
async function addOrphans(
  ctx: PushContext,
  appId: string,
  remoteTagId: string,
  openids: string[],
  targets: Map<string, OaTarget>,
): Promise<void> {
  const orphans = openids.filter((o) => !targets.has(o));
  for (const s of await statesOf(ctx.ds, 'oa', appId, orphans, remoteTagId)) {
    targets.set(s.subject, {
      customerId: s.customerId ?? '',
      openid: s.subject,
      desired: false,
      unsubscribed: false,
      present: s.present,
      lastErrcode: s.lastErrcode,
    });
  }
}

async function pushRow(
  ctx: PushContext,
  appId: string,
  binding: BindingRecord & { remoteTagId: string },
  row: OaItem,
  todo: OaTarget[],
): Promise<void> {
  const blocked = ctx.blockedUntil('oa', appId);
  if (blocked) return ctx.outcome.defer(row, blocked);
  const api = ctx.clients.oa(appId).tags;
  const remoteId = Number(binding.remoteTagId);
  const add = row.payload.op === 'add';
  const { ok, gone, refused, pending, error } = await bisectPush(todo, add, (openids) => {
    ctx.stats.calls++;
    return add ? api.batchTagging(openids, remoteId) : api.batchUntagging(openids, remoteId);
  });
  if (error !== undefined) ctx.noteFailure('oa', appId, error);

  const writes = (ts: OaTarget[], present: boolean) =>
    ts.map((t) => ({ subject: t.openid, remoteTagId: binding.remoteTagId, customerId: t.customerId, present }));
  ctx.outcome.statePushed('oa', appId, writes(ok, add));
  ctx.outcome.statePushed('oa', appId, writes(gone, false));
  for (const [errcode, ts] of refused) {
    ctx.outcome.stateFailed('oa', appId, errcode, writes(ts, !add));
    ctx.outcome.split({
      channel: 'oa',
      account: appId,
      opKey: row.opKey,
      tagId: row.tagId,
      payload: {
        op: row.payload.op,
        openids: ts.map((t) => t.openid),
        failed: ts.map((t) => t.openid),
        remoteTagId: binding.remoteTagId,
      },
      lastErrcode: errcode,
      lastError: `errcode ${errcode}`,
    });
  }
  if (error === undefined) return ctx.outcome.done(row, { ...row.payload, remoteTagId: binding.remoteTagId });

  // The remote tag was deleted in WeChat. The binding fails with the errcode (an operator re-saving the tag's
  // bindings creates it again) rather than silently re-creating what an admin removed.
  if (error instanceof WechatApiError && error.category === 'TAG_GONE')
    await markFailed(ctx.ds, binding.id, `errcode ${error.errcode}: the OA tag no longer exists`, ctx.now());
  const { dead, errcode } = ctx.outcome.fail(row, error, {
    ...row.payload,
    openids: pending.map((t) => t.openid),
    remoteTagId: binding.remoteTagId,
  });
  if (dead) ctx.outcome.stateFailed('oa', appId, errcode, writes(pending, !add));
}
