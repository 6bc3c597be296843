import { z } from 'zod';
import type { TransferKind as WireKind, TransferStart } from '../../connectors/wecom/client';
import { TRANSFER_MAX_CUSTOMERS, TRANSFER_MESSAGE_MAX } from '../../connectors/wecom/client';
import type { AppContext } from '../app-context';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { findWecom } from '../../config';
import { conflictRetryingTransaction } from '../storage/conflict-retry';
import { findCustomers } from '../storage/customers/customer.repository';
import type { TransferKind } from '../storage/entities/transfer.entity';
import { memberName } from '../storage/staff/wecom-staff.repository';
import {
  dueTransfers,
  findTransfer,
  insertTransfer,
  itemsOf,
  listTransfers,
  setItemOutcomes,
  settleTransfer,
  statusCounts,
  type ItemOutcome,
  type TransferRecord,
} from '../storage/transfers/transfer.repository';
import {
  customerOfExternal,
  customersOfMember,
  liveRelationsOf,
} from '../storage/transfers/transfer-follows.repository';
import { OutboxWriter } from '../tags/outbox/outbox-writer';
import type { Clients } from '../tokens/clients';
import { UnknownAccountError } from '../tokens/unknown-account.error';
import { applyTransferDone } from './transfer-effects';
import { transferErrorOf, transferInvalid, transferNotFound } from './transfer.errors';
import type {
  MemberCustomersJson,
  TransferDetailJson,
  TransferJson,
  TransferPageJson,
  UnassignedPageJson,
} from './transfers-api.types';

export type TransferDeps = Pick<AppContext, 'ds' | 'config' | 'logger' | 'now'> & { clients: Clients };

/** Customers in one request: WeChat takes 100 a call, so this is at most 100 calls. */
export const TRANSFER_REQUEST_MAX = 10_000;
/** How often a running transfer's results are read again (the customer has 24 h to refuse). */
export const POLL_INTERVAL_MS = 5 * 60_000;

const userid = z.string().trim().min(1).max(64);
export const transferInput = z
  .object({
    corpId: z.string().min(1).max(64),
    kind: z.enum(['on-job', 'resigned']).default('on-job'),
    fromUserId: userid,
    toUserId: userid,
    externalUserIds: z.array(z.string().min(1).max(64)).min(1).max(TRANSFER_REQUEST_MAX),
    message: z.string().max(TRANSFER_MESSAGE_MAX).optional(),
  })
  .strict();
export type TransferInput = z.infer<typeof transferInput>;

const WIRE: Record<TransferKind, WireKind> = { 'on-job': 'onjob', resigned: 'resigned' };

/** Per-customer errcodes of transfer_customer as reasons (wechat-api-wecom-ops.md §5.1, §5.4). */
const START_REASON: Record<number, string> = {
  40096: 'not_a_customer',
  40128: 'transferred_too_often',
  40129: 'already_transferring',
  40100: 'already_transferring',
  40130: 'same_member',
  40131: 'not_following',
  40099: 'customer_limit_exceed',
};

/** transfer_result status → item outcome: 1 done, 2 waiting, 3 refused, 4 receiver at its limit, 5 no record. */
function resultOutcome(externalUserid: string, status: number, takeoverTime: number): ItemOutcome | null {
  const at = takeoverTime > 0 ? new Date(takeoverTime * 1000) : null;
  switch (status) {
    case 1:
      return { externalUserid, status: 'done', reason: null, takeoverAt: at };
    case 2:
      return null;
    case 3:
      return { externalUserid, status: 'refused', reason: 'customer_refused' };
    case 4:
      return { externalUserid, status: 'failed', reason: 'customer_limit_exceed' };
    case 5:
      return { externalUserid, status: 'failed', reason: 'no_record' };
    default:
      return { externalUserid, status: 'failed', reason: `status_${status}` };
  }
}

/**
 * WeCom customer transfers (DESIGN §10.3): starts them in WeChat 100 customers a call, records WeChat's answer
 * per customer, polls transfer_result until every customer is final, and applies completed moves
 * (transfer-effects.ts). The departed-staff view reads get_unassigned_list.
 */
export class TransferService {
  private readonly audit: AuditLogWriter;
  private readonly writer: OutboxWriter;

  constructor(private readonly deps: TransferDeps) {
    this.audit = new AuditLogWriter(deps.ds);
    this.writer = new OutboxWriter(deps.config.tags.wecomFanout);
  }

  async start(input: TransferInput, actor: { name: string; role?: string | null }): Promise<TransferDetailJson> {
    const { corpId, kind, fromUserId, toUserId, message } = input;
    if (!findWecom(this.deps.config, corpId)) throw new UnknownAccountError('WeCom', corpId);
    if (fromUserId === toUserId) throw transferInvalid('fromUserId and toUserId are the same member');
    if (kind === 'resigned' && message !== undefined) throw transferInvalid('a resigned transfer takes no message');
    const ids = [...new Set(input.externalUserIds)];
    const wecom = this.deps.clients.wecom(corpId);
    const outcomes: ItemOutcome[] = [];
    for (let i = 0; i < ids.length; i += TRANSFER_MAX_CUSTOMERS) {
      const chunk = ids.slice(i, i + TRANSFER_MAX_CUSTOMERS);
      let starts: TransferStart[];
      try {
        starts = await wecom.transfers.transferCustomers(WIRE[kind], fromUserId, toUserId, chunk, message);
      } catch (err) {
        // Nothing started yet: the whole request fails and leaves no row. Later: those customers failed.
        if (i === 0) throw transferErrorOf(err, 'start the transfer');
        this.deps.logger.warn({ err, corpId, fromUserId, toUserId }, 'a transfer call failed midway');
        outcomes.push(
          ...chunk.map((externalUserid) => ({ externalUserid, status: 'failed' as const, reason: 'wechat_error' })),
        );
        continue;
      }
      const byId = new Map(starts.map((s) => [s.externalUserid, s.errcode]));
      for (const externalUserid of chunk) {
        const errcode = byId.get(externalUserid);
        if (errcode === 0) continue;
        outcomes.push({
          externalUserid,
          status: 'failed',
          reason: errcode === undefined ? 'wechat_error' : (START_REASON[errcode] ?? `errcode_${errcode}`),
          errcode: errcode ?? null,
        });
      }
    }
    const now = new Date(this.deps.now());
    const id = await conflictRetryingTransaction(this.deps.ds, { operation: 'transfers.start' }, async (em) => {
      const live = await liveRelationsOf(em, corpId, fromUserId, ids);
      const items = [];
      for (const externalUserid of ids)
        items.push({
          externalUserid,
          customerId: live.get(externalUserid) ?? (await customerOfExternal(em, corpId, externalUserid)),
        });
      const transferId = await insertTransfer(
        em,
        { corpId, kind, fromUserid: fromUserId, toUserid: toUserId, message: message ?? null, createdBy: actor.name },
        items,
        now,
      );
      await setItemOutcomes(em, transferId, outcomes, now);
      await settleTransfer(em, transferId, new Date(now.getTime() + POLL_INTERVAL_MS), now);
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'transfer.start',
          targetType: 'transfer',
          targetId: transferId,
          details: { corpId, kind, fromUserId, toUserId, customers: ids.length, refused: outcomes.length },
        },
        em,
      );
      return transferId;
    });
    return this.get(id);
  }

  async get(id: string): Promise<TransferDetailJson> {
    const t = await findTransfer(this.deps.ds, id);
    if (!t) throw transferNotFound(id);
    const [json] = await this.toJson([t]);
    const items = await itemsOf(this.deps.ds, id);
    return {
      ...json!,
      items: items.map((i) => ({
        externalUserId: i.externalUserid,
        customerId: i.customerId,
        status: i.status,
        ...(i.reason ? { reason: i.reason } : {}),
        ...(i.takeoverAt ? { takeoverAt: i.takeoverAt.toISOString() } : {}),
      })),
    };
  }

  async list(f: { corpId?: string; userid?: string; cursor?: string; limit: number }): Promise<TransferPageJson> {
    const rows = await listTransfers(this.deps.ds, {
      ...(f.corpId ? { corpId: f.corpId } : {}),
      ...(f.userid ? { userid: f.userid } : {}),
      ...(f.cursor ? { before: f.cursor } : {}),
      limit: f.limit + 1,
    });
    const page = rows.slice(0, f.limit);
    return { items: await this.toJson(page), nextCursor: rows.length > f.limit ? page[page.length - 1]!.id : null };
  }

  /**
   * Reads transfer_result for running transfers (all of them with `all`, else those due) and applies what
   * became final; returns how many customers' transfers completed.
   */
  async poll(opts: { all?: boolean; shouldStop?: () => boolean } = {}): Promise<number> {
    const now = new Date(this.deps.now());
    const due = await dueTransfers(this.deps.ds, opts.all ? null : now, 100);
    let completed = 0;
    for (const t of due) {
      if (opts.shouldStop?.()) break;
      try {
        completed += await this.pollOne(t);
      } catch (err) {
        this.deps.logger.warn({ err, transferId: t.id }, 'reading transfer results failed; next poll retries');
      }
    }
    return completed;
  }

  private async pollOne(t: TransferRecord): Promise<number> {
    const rows = await this.deps.clients
      .wecom(t.corpId)
      .transfers.transferResults(WIRE[t.kind], t.fromUserid, t.toUserid);
    // The pair's history may list a customer more than once; the last row is the latest transfer.
    const latest = new Map(rows.map((r) => [r.externalUserid, r]));
    return conflictRetryingTransaction(this.deps.ds, { operation: 'transfers.poll' }, async (em) => {
      const now = new Date(this.deps.now());
      const waiting = (await itemsOf(em, t.id)).filter((i) => i.status === 'waiting');
      const outcomes: ItemOutcome[] = [];
      let done = 0;
      for (const item of waiting) {
        const r = latest.get(item.externalUserid);
        const o = r && resultOutcome(item.externalUserid, r.status, r.takeoverTime);
        if (!o) continue;
        outcomes.push(o);
        if (o.status !== 'done') continue;
        await applyTransferDone(em, t, item, o.takeoverAt ?? now, this.writer, now);
        done++;
      }
      await setItemOutcomes(em, t.id, outcomes, now);
      await settleTransfer(em, t.id, new Date(now.getTime() + POLL_INTERVAL_MS), now);
      return done;
    });
  }

  /** A member's live customers, to pick whom to transfer (at most TRANSFER_REQUEST_MAX). */
  async customersOf(corpId: string, userid: string): Promise<MemberCustomersJson> {
    if (!findWecom(this.deps.config, corpId)) throw new UnknownAccountError('WeCom', corpId);
    const rows = await customersOfMember(this.deps.ds, corpId, userid, TRANSFER_REQUEST_MAX);
    return {
      corpId,
      userid,
      items: rows.map((r) => ({
        externalUserId: r.externalUserid,
        customerId: r.customerId,
        name: r.remark ?? r.displayName,
      })),
    };
  }

  /** Customers of a member who left that nobody has taken over yet (get_unassigned_list, all pages). */
  async unassigned(corpId: string, userid: string): Promise<UnassignedPageJson> {
    if (!findWecom(this.deps.config, corpId)) throw new UnknownAccountError('WeCom', corpId);
    const wecom = this.deps.clients.wecom(corpId);
    const rows = [];
    let cursor = '';
    try {
      do {
        const page = await wecom.transfers.unassigned(cursor);
        rows.push(...page.rows.filter((r) => r.handoverUserid === userid));
        cursor = page.nextCursor;
      } while (cursor);
    } catch (err) {
      throw transferErrorOf(err, 'list the unassigned customers');
    }
    const customerIds = new Map<string, string | null>();
    for (const r of rows)
      customerIds.set(r.externalUserid, await customerOfExternal(this.deps.ds, corpId, r.externalUserid));
    const names = new Map(
      (
        await findCustomers(
          this.deps.ds,
          [...customerIds.values()].filter((c): c is string => !!c),
        )
      ).map((c) => [c.id, c.displayName]),
    );
    return {
      corpId,
      userid,
      name: await memberName(this.deps.ds, corpId, userid),
      items: rows.map((r) => {
        const customerId = customerIds.get(r.externalUserid) ?? null;
        return {
          externalUserId: r.externalUserid,
          customerId,
          name: customerId ? (names.get(customerId) ?? null) : null,
          dimissionTime: r.dimissionTime > 0 ? new Date(r.dimissionTime * 1000).toISOString() : null,
        };
      }),
    };
  }

  private async toJson(rows: readonly TransferRecord[]): Promise<TransferJson[]> {
    const counts = await statusCounts(
      this.deps.ds,
      rows.map((r) => r.id),
    );
    const out: TransferJson[] = [];
    for (const t of rows)
      out.push({
        id: t.id,
        corpId: t.corpId,
        kind: t.kind,
        fromUserId: t.fromUserid,
        fromName: await memberName(this.deps.ds, t.corpId, t.fromUserid),
        toUserId: t.toUserid,
        toName: await memberName(this.deps.ds, t.corpId, t.toUserid),
        message: t.message,
        status: t.status,
        counts: counts.get(t.id) ?? { waiting: 0, done: 0, refused: 0, failed: 0 },
        createdBy: t.createdBy,
        createdAt: t.createdAt.toISOString(),
        finishedAt: t.finishedAt?.toISOString() ?? null,
      });
    return out;
  }
}
