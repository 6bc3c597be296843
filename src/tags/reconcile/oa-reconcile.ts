import { type Db, select } from '../../storage/sql';
import { retryingTransaction } from '../../identity/retrying-transaction';
import type { Clients } from '../../tokens/clients';
import { bindingsOfAccount, markFailed, type BindingRecord } from '../bindings/binding.repository';
import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import { OutboxWriter } from '../outbox/outbox-writer';
import { outboxSignal } from '../outbox/outbox-signal';
import { recordObserved } from '../outbox/remote-state.repository';
import type { TagsDeps } from '../tags-deps';

export interface BindingDrift {
  tagId: string;
  appId: string;
  remoteTagId: string;
  /** Fans WeChat lists under the tag. */
  fans: number;
  /** Followers holding the tag in WeChat that no assignment wants (tagged in the OA admin console). */
  extra: number;
  /** Followers Siyu pushed the tag to that no longer hold it; queued to be pushed again. */
  missing: number;
}

/**
 * OA has no tag callback, so drift is found by reading (DESIGN §5): for every bound OA tag, `user/tag/get`
 * lists its fans; the result is recorded in `remote_tag_state` with `drifted` where WeChat differs from the
 * desired state, and reported. Followers Siyu had tagged who lost the tag are queued again (the desired state
 * wins); followers tagged outside Siyu are reported, not untagged — Siyu never removes what it did not put there.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html
 */
export class OaReconciler {
  private readonly writer: OutboxWriter;

  constructor(private readonly deps: TagsDeps & { clients: Clients }) {
    this.writer = new OutboxWriter(deps.config.tags.wecomFanout);
  }

  async reconcileAll(): Promise<BindingDrift[]> {
    const out: BindingDrift[] = [];
    for (const account of this.deps.config.accounts) {
      if (account.kind !== 'official-account') continue;
      for (const b of await bindingsOfAccount(this.deps.ds, 'oa', account.appId)) {
        if (b.status === 'bound' && b.remoteTagId) out.push(await this.reconcile(b as BindingRecord & { remoteTagId: string }));
      }
    }
    outboxSignal(this.deps.ds).notify();
    return out;
  }

  async reconcile(b: BindingRecord & { remoteTagId: string }): Promise<BindingDrift> {
    const fans = new Set<string>();
    try {
      for await (const page of this.deps.clients.oa(b.account).tags.walkTagFans(Number(b.remoteTagId))) for (const o of page.openids) fans.add(o);
    } catch (err) {
      if (isWechatApiError(err) && err.errcode === 45159) await markFailed(this.deps.ds, b.id, 'errcode 45159: the OA tag no longer exists', new Date(this.deps.now()));
      throw err;
    }
    const now = new Date(this.deps.now());
    return retryingTransaction(this.deps.ds, async (m) => {
      const known = await knownPresent(m, b);
      const desired = await desiredOpenids(m, b);
      const writes = [];
      let extra = 0;
      const missing: string[] = [];
      for (const openid of fans) {
        // Known and present: in sync, or a removal already queued. Unknown: tagged outside Siyu unless wanted.
        const want = desired.get(openid);
        const k = known.get(openid);
        if (k) {
          if (k.drifted && want !== undefined) writes.push({ subject: openid, remoteTagId: b.remoteTagId, customerId: want, present: true, drifted: false });
          else if (k.drifted) extra++;
          continue;
        }
        if (want === undefined) extra++;
        writes.push({ subject: openid, remoteTagId: b.remoteTagId, customerId: want ?? null, present: true, drifted: want === undefined });
      }
      for (const [openid, { customerId }] of known) {
        if (fans.has(openid)) continue;
        const want = desired.has(openid);
        writes.push({ subject: openid, remoteTagId: b.remoteTagId, customerId, present: false, drifted: want });
        if (want) missing.push(openid);
      }
      await recordObserved(m, 'oa', b.account, writes, now);
      await this.writer.enqueueOpenids(m, b.account, b.tagId, 'add', missing, now);
      return { tagId: b.tagId, appId: b.account, remoteTagId: b.remoteTagId, fans: fans.size, extra, missing: missing.length };
    });
  }
}

async function knownPresent(db: Db, b: BindingRecord & { remoteTagId: string }): Promise<Map<string, { customerId: string | null; drifted: boolean }>> {
  const rows = await select(db, "SELECT subject, customer_id, drifted FROM remote_tag_state WHERE channel = 'oa' AND account = ? AND remote_tag_id = ? AND present = 1", [b.account, b.remoteTagId]);
  return new Map(rows.map((r) => [String(r.subject), { customerId: (r.customer_id as string | null) ?? null, drifted: Number(r.drifted) === 1 }]));
}

/** openid → customer for every follower of the appid whose customer should carry the tag. */
async function desiredOpenids(db: Db, b: BindingRecord): Promise<Map<string, string>> {
  const rows = await select(
    db,
    `SELECT DISTINCT i.value AS openid, i.customer_id FROM customer_tags ct
      JOIN identities i ON i.customer_id = ct.customer_id AND i.type = 'oa_openid' AND i.scope = ?
      WHERE ct.tag_id = ?`,
    [b.account, b.tagId],
  );
  return new Map(rows.map((r) => [String(r.openid), String(r.customer_id)]));
}
