import type { OfficialAccount } from '../../../config';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import { retryingTransaction } from '../../storage/conflict-retry';
import type { Clients } from '../../tokens/clients';
import { addAssignments, removeAssignments } from '../../storage/tags/customer-tag.repository';
import { bindingsOfAccount, markFailed, type BindingRecord } from '../../storage/tags/binding.repository';
import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import { OutboxWriter } from '../outbox/outbox-writer';
import { outboxSignal } from '../outbox/outbox-signal';
import { recordObserved } from '../../storage/tags/remote-tag-state.repository';
import type { TagsDeps } from '../tags-deps';
import { customersOfOpenids, desiredOpenids, knownPresent } from '../../storage/tags/oa-members.repository';
import { importRemoteTags, WECHAT_ACTOR, type CatalogImport } from './remote-catalog';
import { withTagEvents } from '../assignments/tag-webhook-events';

export interface BindingDrift {
  tagId: string;
  appId: string;
  remoteTagId: string;
  /** Fans WeChat lists under the tag. */
  fans: number;
  /** Fans tagged in WeChat (the OA admin console) whose customer did not carry the tag: now `wechat` assignments. */
  adopted: number;
  /** Fans tagged in WeChat that no customer holds yet (never synced): reported, recorded as drift. */
  extra: number;
  /** `wechat` assignments whose fan lost the tag in WeChat: removed. */
  dropped: number;
  /** Fans Siyu tagged for a manual or rule assignment that lost the tag: queued to be pushed again. */
  missing: number;
}

/** The catalog group OA tags of one account are kept in (OA tags have no groups in WeChat). */
export const oaTagGroup = (account: OfficialAccount): string => `公众号标签 · ${account.id}`.slice(0, 64);

/**
 * OA has no tag callback, so the catalog and membership follow WeChat by reading (DESIGN §5, §10.4):
 * `tags/get` puts every OA tag in the catalog bound to its appid (importRemoteTags: adopt by name, follow
 * renames, a tag deleted in the OA leaves the catalog), then `user/tag/get` lists each bound tag's fans. A fan
 * tagged in WeChat becomes a `wechat` assignment of its customer; a `wechat` assignment whose fan lost the tag
 * goes; a fan Siyu tagged for an operator or a rule who lost it is queued again (the desired state wins). What
 * WeChat holds is recorded in `remote_tag_state`, so nothing read here is pushed back.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html
 */
export class OaReconciler {
  private readonly writer: OutboxWriter;
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: TagsDeps & { clients: Clients }) {
    this.writer = new OutboxWriter(deps.config.tags.wecomFanout);
    this.audit = new AuditLogWriter(deps.ds);
  }

  async reconcileAll(): Promise<BindingDrift[]> {
    const out: BindingDrift[] = [];
    for (const account of this.deps.config.accounts) {
      if (account.kind !== 'official-account') continue;
      await this.importTags(account);
      for (const b of await bindingsOfAccount(this.deps.ds, 'oa', account.appId)) {
        if (b.status === 'bound' && b.remoteTagId)
          out.push(await this.reconcile(b as BindingRecord & { remoteTagId: string }));
      }
    }
    outboxSignal(this.deps.ds).notify();
    return out;
  }

  /** `tags/get` into the catalog (one call returns every tag of the account). */
  async importTags(account: OfficialAccount): Promise<CatalogImport> {
    const tags = await this.deps.clients.oa(account.appId).tags.getTags();
    const live = tags.map((t) => ({ id: String(t.id), name: t.name, groupId: null, groupName: null }));
    const now = new Date(this.deps.now());
    return retryingTransaction(this.deps.ds, (m) =>
      importRemoteTags(m, 'oa', account.appId, live, () => oaTagGroup(account), now),
    );
  }

  async reconcile(b: BindingRecord & { remoteTagId: string }): Promise<BindingDrift> {
    const fans = new Set<string>();
    try {
      for await (const page of this.deps.clients.oa(b.account).tags.walkTagFans(Number(b.remoteTagId)))
        for (const o of page.openids) fans.add(o);
    } catch (err) {
      if (isWechatApiError(err) && err.category === 'TAG_GONE')
        await markFailed(
          this.deps.ds,
          b.id,
          `errcode ${err.errcode}: the OA tag no longer exists`,
          new Date(this.deps.now()),
        );
      throw err;
    }
    const now = new Date(this.deps.now());
    return retryingTransaction(this.deps.ds, async (m) => {
      const known = await knownPresent(m, b.account, b.remoteTagId);
      const desired = await desiredOpenids(m, b.account, b.tagId);
      const unknownFans = [...fans].filter((o) => !desired.has(o) && !known.get(o)?.customerId);
      const owners = await customersOfOpenids(m, b.account, unknownFans);
      const writes = [];
      const adopted = new Set<string>();
      let extra = 0;
      const missing: string[] = [];
      const dropped = new Set<string>();
      for (const openid of fans) {
        const want = desired.get(openid);
        const k = known.get(openid);
        if (want) {
          if (!k || k.drifted)
            writes.push({
              subject: openid,
              remoteTagId: b.remoteTagId,
              customerId: want.customerId,
              present: true,
              drifted: false,
            });
          continue;
        }
        // Recorded as Siyu's own and no longer wanted: its removal is queued, not a tag to adopt.
        if (k && !k.drifted) continue;
        const customerId = k?.customerId ?? owners.get(openid) ?? null;
        if (customerId) adopted.add(customerId);
        else extra++;
        writes.push({ subject: openid, remoteTagId: b.remoteTagId, customerId, present: true, drifted: !customerId });
      }
      for (const [openid, { customerId }] of known) {
        if (fans.has(openid)) continue;
        const want = desired.get(openid);
        if (want?.sources.has('wechat')) dropped.add(want.customerId);
        const stillWanted = !!want && [...want.sources].some((s) => s !== 'wechat');
        writes.push({ subject: openid, remoteTagId: b.remoteTagId, customerId, present: false, drifted: stillWanted });
        if (stillWanted) missing.push(openid);
      }
      await recordObserved(m, 'oa', b.account, writes, now);
      const added = await withTagEvents(m, 'assign', b.tagId, [...adopted], ['wechat'], now, () =>
        addAssignments(m, b.tagId, [...adopted], 'wechat', WECHAT_ACTOR, now),
      );
      const removed = await withTagEvents(m, 'unassign', b.tagId, [...dropped], ['wechat'], now, () =>
        removeAssignments(m, b.tagId, [...dropped], ['wechat']),
      );
      if (added + removed > 0) {
        await this.audit.write(
          {
            actor: WECHAT_ACTOR,
            action: 'tag.reconcile',
            targetType: 'tag',
            targetId: b.tagId,
            details: { appId: b.account, remoteTagId: b.remoteTagId, added, removed },
          },
          m,
        );
      }
      // The tag may be bound elsewhere too (another account): those bindings follow the new assignments.
      await this.writer.enqueueCustomers(m, b.tagId, [...adopted, ...dropped], now);
      await this.writer.enqueueOpenids(m, b.account, b.tagId, 'add', missing, now);
      return {
        tagId: b.tagId,
        appId: b.account,
        remoteTagId: b.remoteTagId,
        fans: fans.size,
        adopted: added,
        extra,
        dropped: removed,
        missing: missing.length,
      };
    });
  }
}
