import type Router from '@koa/router';
import { z } from 'zod';
import type { DeliveryRecord } from '../callbacks/delivery-log';
import type { EmulatorState } from '../state';
import type { TransferOutcome, TransferRecord } from '../world/transfers';
import type { WecomCorp } from '../world/wecom-corp';
import { ControlError, notFound, readBody } from './control-body';
import type { Notifier } from './notify';
import { corpOf } from './world-lookup';

/**
 * Customer transfers as the customers and the clock decide them (wechat-api-wecom-ops.md §5):
 *   POST /wecom/:corpId/transfers/refuse {externalUserId, notify?}  the customer taps 暂不添加 within the 24 h
 *       (status 3; notify: transfer_fail customer_refused with the takeover as UserID)
 *   POST /wecom/:corpId/transfers/settle {notify?}  completes what the clock made due (API reads settle silently
 *       too); notify announces every outcome not yet announced: del_external_contact with Source
 *       DELETE_BY_TRANSFER to the handover (in-service only), add_external_contact to the takeover unless already
 *       friends, transfer_fail customer_limit_exceed for a takeover at its limit
 *   GET  /state/wecom/:corpId/transfers?externalUserId=
 *   PATCH /wecom/:corpId/staff/:userid/customer-limit {limit: n | null}
 */
function recordView(corp: WecomCorp, r: TransferRecord): Record<string, unknown> {
  return {
    kind: r.kind,
    handover: r.handover.userid,
    takeover: r.takeover.userid,
    externalUserId: corp.externalUserid(r.slot),
    startedAt: r.startedAt,
    status: r.status,
    takeoverTime: r.takeoverTime,
  };
}

async function announce(notifier: Notifier, corp: WecomCorp, outcomes: TransferOutcome[]): Promise<DeliveryRecord[]> {
  const corpId = corp.corp.corpId;
  const out: DeliveryRecord[] = [];
  for (const o of outcomes) {
    const r = o.record;
    const externalUserId = corp.externalUserid(r.slot);
    if (o.kind === 'limit') {
      out.push(
        await notifier.externalContact(corpId, {
          changeType: 'transfer_fail',
          userId: r.takeover.userid,
          externalUserId,
          failReason: 'customer_limit_exceed',
        }),
      );
      continue;
    }
    if (r.kind === 'onjob')
      out.push(
        await notifier.externalContact(corpId, {
          changeType: 'del_external_contact',
          userId: r.handover.userid,
          externalUserId,
          source: 'DELETE_BY_TRANSFER',
        }),
      );
    if (!o.takeoverWasFriend)
      out.push(await notifier.relation(corpId, 'add_external_contact', r.takeover.userid, externalUserId));
  }
  return out;
}

export function transferRoutes(router: Router, state: EmulatorState, notifier: Notifier): void {
  router.post('/wecom/:corpId/transfers/refuse', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const b = await readBody(ctx, z.object({ externalUserId: z.string(), notify: z.boolean().default(false) }));
    corp.transfers.settle(state.now());
    const slot = corp.slotOf(b.externalUserId);
    const r = slot < 0 ? undefined : corp.transfers.waitingOf(slot);
    if (!r) throw new ControlError(404, 'NOT_WAITING', `no transfer of ${b.externalUserId} is waiting`);
    corp.transfers.refuse(r);
    const delivery = b.notify
      ? await notifier.externalContact(corp.corp.corpId, {
          changeType: 'transfer_fail',
          userId: r.takeover.userid,
          externalUserId: b.externalUserId,
          failReason: 'customer_refused',
        })
      : undefined;
    ctx.body = { ...recordView(corp, r), ...(delivery ? { delivery } : {}) };
  });

  router.post('/wecom/:corpId/transfers/settle', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const b = await readBody(ctx, z.object({ notify: z.boolean().default(false) }));
    corp.transfers.settle(state.now());
    const outcomes = corp.transfers.takeUnsent();
    const deliveries = b.notify ? await announce(notifier, corp, outcomes) : [];
    ctx.body = {
      settled: outcomes.map((o) => ({ ...recordView(corp, o.record), outcome: o.kind })),
      ...(b.notify ? { deliveries } : {}),
    };
  });

  router.get('/state/wecom/:corpId/transfers', (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    corp.transfers.settle(state.now());
    const only = typeof ctx.query.externalUserId === 'string' ? corp.slotOf(ctx.query.externalUserId) : undefined;
    ctx.body = {
      transfers: corp.transfers.records
        .filter((r) => only === undefined || r.slot === only)
        .map((r) => recordView(corp, r)),
    };
  });

  router.patch('/wecom/:corpId/staff/:userid/customer-limit', async (ctx) => {
    const corp = corpOf(state, ctx.params.corpId!);
    const s = corp.staffByUserid.get(ctx.params.userid!);
    if (!s) throw notFound('userid', ctx.params.userid!);
    const b = await readBody(ctx, z.object({ limit: z.number().int().min(0).nullable() }));
    if (b.limit === null) delete s.customerLimit;
    else s.customerLimit = b.limit;
    ctx.body = { userid: s.userid, customerLimit: s.customerLimit ?? null, customers: s.relations.length };
  });
}
