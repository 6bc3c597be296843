import { z } from 'zod';
import type { AppContext } from '../app-context';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { retryingTransaction } from '../storage/conflict-retry';
import { survivorOf } from '../storage/customers/customer.repository';
import { findLiveFollow } from '../storage/follows/follow-remark.repository';
import { queueOrMerge } from '../storage/tags/outbox.repository';
import { outboxSignal } from '../tags/outbox/outbox-signal';
import { remarkOpKey, type RemarkPayload } from '../tags/outbox/outbox-types';
import type { Actor } from '../tags/tags-deps';
import { AttributeError, attributeInvalid, customerNotFound } from './attribute.errors';

const chars = (max: number) =>
  z.string().refine((s) => [...s].length <= max, `at most ${max} characters (WeChat's limit)`);

/** `externalcontact/remark` limits: remark ≤ 20, description ≤ 150 characters (wechat-api-wecom-ops.md §7). */
export const remarkInput = z
  .object({
    remark: chars(20).optional(),
    description: chars(150).optional(),
    remarkMobiles: z
      .array(z.string().regex(/^\+?[\d -]{3,32}$/, 'a phone number'))
      .max(5)
      .optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give remark, description or remarkMobiles');

export interface RemarkQueuedJson {
  customerId: string;
  corpId: string;
  userid: string;
  externalUserId: string;
  status: 'queued';
  remark?: string;
  description?: string;
}

/**
 * WeCom remark write-back (DESIGN §10.4): the change is checked against WeChat's limits, queued in the outbox for
 * the relation (merged into a pending one), audited, and pushed by the outbox worker; the stored relation changes
 * only once WeChat accepted it (remark-push.ts).
 */
export class FollowRemarkService {
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: Pick<AppContext, 'ds' | 'now'>) {
    this.audit = new AuditLogWriter(deps.ds);
  }

  async change(
    customerId: string,
    corpId: string,
    userid: string,
    body: unknown,
    actor: Actor,
  ): Promise<RemarkQueuedJson> {
    const r = remarkInput.safeParse(body ?? {});
    if (!r.success)
      throw attributeInvalid(r.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message })));
    const c = await survivorOf(this.deps.ds, customerId);
    if (!c || c.status !== 'active') throw customerNotFound();
    const follow = await findLiveFollow(this.deps.ds, c.id, corpId, userid);
    if (!follow)
      throw new AttributeError(
        'FOLLOW_NOT_FOUND',
        `the customer has no live WeCom relation with ${userid} in ${corpId}`,
      );
    const payload: RemarkPayload = { userid, externalUserid: follow.externalUserid, ...r.data };
    // WeChat refuses a call whose fields are all empty: clearing one field sends the other's current value along.
    const empty = (v: string | undefined): boolean => v === undefined || v === '';
    if (empty(payload.remark) && empty(payload.description) && payload.remarkMobiles === undefined) {
      if (follow.description && payload.description === undefined) payload.description = follow.description;
      else if (follow.remark && payload.remark === undefined) payload.remark = follow.remark;
      else
        throw attributeInvalid([
          { field: 'body', message: 'WeChat keeps at least one of remark, description or remarkMobiles' },
        ]);
    }
    const now = new Date(this.deps.now());
    await retryingTransaction(this.deps.ds, async (em) => {
      await queueOrMerge(
        em,
        {
          channel: 'wecom-remark',
          account: corpId,
          opKey: remarkOpKey(corpId, userid, follow.externalUserid),
          payload,
          tagId: null,
        },
        now,
      );
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'customer.follow.remark',
          targetType: 'customer',
          targetId: c.id,
          details: {
            corpId,
            userid,
            old: { remark: follow.remark, description: follow.description },
            new: {
              ...(r.data.remark !== undefined ? { remark: r.data.remark } : {}),
              ...(r.data.description !== undefined ? { description: r.data.description } : {}),
              ...(r.data.remarkMobiles !== undefined ? { remarkMobiles: r.data.remarkMobiles.length } : {}),
            },
          },
        },
        em,
      );
    });
    outboxSignal(this.deps.ds).notify();
    return {
      customerId: c.id,
      corpId,
      userid,
      externalUserId: follow.externalUserid,
      status: 'queued',
      ...(r.data.remark !== undefined ? { remark: r.data.remark } : {}),
      ...(r.data.description !== undefined ? { description: r.data.description } : {}),
    };
  }
}
