import type { EntityManager } from '../../storage';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import type { TagBindingChannel } from '../../storage/entities';
import { removeAllAssignments } from '../../storage/tags/customer-tag.repository';
import { deletePendingOaRows } from '../../storage/tags/outbox.repository';
import { forgetRemoteTag } from '../../storage/tags/remote-tag-state.repository';
import { disableSegmentsOfTag } from '../../storage/segments/segment.repository';
import {
  bindingsOfAccount,
  bindingsOfTags,
  deleteBinding,
  insertBoundBinding,
  markBound,
  updateRemoteNames,
  type BindingRecord,
} from '../../storage/tags/binding.repository';
import { deleteGroup, findGroup, findGroupByName, insertGroup } from '../../storage/tags/tag-group.repository';
import {
  countTagsInGroup,
  findTag,
  findTagByName,
  insertTag,
  softDeleteTag,
  updateTag,
} from '../../storage/tags/tag.repository';

/** A tag as WeChat lists it: a corp tag (with its group) or an OA tag (no group in WeChat). */
export interface RemoteTag {
  id: string;
  name: string;
  groupId: string | null;
  groupName: string | null;
}

export interface CatalogImport {
  /** Tags WeChat lists. */
  tags: number;
  /** New catalog tags made for remote tags Siyu did not know. */
  created: number;
  /** Remote tags joined to a catalog tag that already had their name (a pending binding, or the same group + name). */
  adopted: number;
  renamed: number;
  /** Bindings whose remote tag is gone (deleted in WeChat); a tag left with no binding leaves the catalog. */
  removed: number;
  /** Remote tag ids bound by this import (created or adopted): relations already carrying them become assignments. */
  newlyBound: string[];
}

/** Who the audit log names for what WeChat itself changed (DESIGN §10.4: the corp tag library is part of the catalog). */
export const WECHAT_ACTOR = 'wechat';

const cut = (s: string): string => [...s].slice(0, 64).join('');

/**
 * Makes the catalog match one account's tag list as WeChat reports it (DESIGN §5, §10.4): every remote tag is a
 * catalog tag bound to it, in the catalog group `catalogGroup` names (the WeCom group; one fixed group for OA
 * tags), names kept; a rename in WeChat renames the catalog tag that carried the old name; a remote tag that is
 * gone takes its binding and relation state with it, and a tag left with no binding leaves the catalog with its
 * assignments. A tag Siyu created and pushed (bound, or pending under the same name) is the same tag: adopted,
 * never duplicated. Runs in the caller's transaction; every change is audited as done by `wechat`.
 */
export async function importRemoteTags(
  m: EntityManager,
  channel: TagBindingChannel,
  account: string,
  live: readonly RemoteTag[],
  catalogGroup: (t: RemoteTag) => string | null,
  now: Date,
): Promise<CatalogImport> {
  const run = new Import(m, channel, account, now);
  return run.apply(live, catalogGroup);
}

class Import {
  private readonly audit: AuditLogWriter;
  /** Catalog groups that lost a tag: removed at the end when empty and no longer named by WeChat. */
  private readonly touchedGroups = new Set<string>();
  private readonly result: CatalogImport = { tags: 0, created: 0, adopted: 0, renamed: 0, removed: 0, newlyBound: [] };

  constructor(
    private readonly m: EntityManager,
    private readonly channel: TagBindingChannel,
    private readonly account: string,
    private readonly now: Date,
  ) {
    this.audit = new AuditLogWriter(m.dataSource);
  }

  async apply(live: readonly RemoteTag[], catalogGroup: (t: RemoteTag) => string | null): Promise<CatalogImport> {
    this.result.tags = live.length;
    const byId = new Map(live.map((t) => [t.id, t]));
    const byName = new Map(live.map((t) => [nameKey(this.channel, t.groupName, t.name), t]));
    const bindings = await bindingsOfAccount(this.m, this.channel, this.account);
    const bound = new Set<string>();
    for (const b of bindings) {
      if (b.remoteTagId) {
        const t = byId.get(b.remoteTagId);
        if (!t) {
          await this.forget(b);
          continue;
        }
        bound.add(t.id);
        if (b.status !== 'bound')
          await markBound(
            this.m,
            b.id,
            { tagId: t.id, groupId: t.groupId, name: t.name, groupName: t.groupName },
            this.now,
          );
        if (t.name !== b.remoteName || t.groupName !== b.remoteGroupName || t.groupId !== b.remoteGroupId)
          await this.followRename(b, t, catalogGroup(t));
      } else if (b.status === 'pending') {
        const t = byName.get(nameKey(this.channel, b.remoteGroupName, b.remoteName ?? ''));
        if (!t || bound.has(t.id)) continue;
        await markBound(
          this.m,
          b.id,
          { tagId: t.id, groupId: t.groupId, name: t.name, groupName: t.groupName },
          this.now,
        );
        bound.add(t.id);
        this.result.adopted++;
        this.result.newlyBound.push(t.id);
      }
    }
    for (const t of live) if (!bound.has(t.id)) await this.bindNew(t, catalogGroup(t), bindings);
    await this.dropEmptyGroups(new Set(live.map(catalogGroup).filter((g): g is string => g !== null)));
    return this.result;
  }

  /** A remote tag with no binding here: the catalog tag of that group + name (made if missing) is bound to it. */
  private async bindNew(t: RemoteTag, groupName: string | null, bindings: readonly BindingRecord[]): Promise<void> {
    const groupId = await this.groupId(groupName);
    const name = cut(t.name);
    const existing = await findTagByName(this.m, groupId, name);
    if (existing) {
      const mine = bindings.find((b) => b.tagId === existing.id);
      // Bound here to another tag that is still live: two remote tags cannot share one catalog tag per account.
      if (mine?.remoteTagId && mine.remoteTagId !== t.id && mine.status === 'bound') return;
      if (mine)
        await markBound(
          this.m,
          mine.id,
          { tagId: t.id, groupId: t.groupId, name: t.name, groupName: t.groupName },
          this.now,
        );
      else
        await insertBoundBinding(this.m, {
          tagId: existing.id,
          channel: this.channel,
          account: this.account,
          remoteTagId: t.id,
          remoteGroupId: t.groupId,
          remoteName: t.name,
          remoteGroupName: t.groupName,
          now: this.now,
        });
      this.result.adopted++;
    } else {
      const tagId = await insertTag(this.m, {
        name,
        groupId,
        description: null,
        createdBy: WECHAT_ACTOR,
        now: this.now,
      });
      await insertBoundBinding(this.m, {
        tagId,
        channel: this.channel,
        account: this.account,
        remoteTagId: t.id,
        remoteGroupId: t.groupId,
        remoteName: t.name,
        remoteGroupName: t.groupName,
        now: this.now,
      });
      await this.write('tag.create', tagId, {
        name,
        groupId,
        channel: this.channel,
        account: this.account,
        remoteTagId: t.id,
      });
      this.result.created++;
    }
    this.result.newlyBound.push(t.id);
  }

  /**
   * The remote tag was renamed (or its group was): the binding follows, and so does the catalog tag where it
   * carried the old remote name (a tag an operator named differently keeps its own name).
   */
  private async followRename(b: BindingRecord, t: RemoteTag, groupName: string | null): Promise<void> {
    await updateRemoteNames(this.m, b.id, { name: t.name, groupId: t.groupId, groupName: t.groupName }, this.now);
    const tag = await findTag(this.m, b.tagId);
    if (!tag) return;
    const name = tag.name === b.remoteName ? cut(t.name) : tag.name;
    const groupMoved =
      this.channel === 'wecom' &&
      groupName !== null &&
      tag.groupName !== groupName &&
      tag.groupName === b.remoteGroupName;
    const groupId = groupMoved ? await this.groupId(groupName) : tag.groupId;
    if (name === tag.name && groupId === tag.groupId) return;
    const clash = await findTagByName(this.m, groupId, name);
    if (clash && clash.id !== tag.id) return;
    await updateTag(this.m, tag.id, { name, groupId }, this.now);
    if (groupMoved && tag.groupId) this.touchedGroups.add(tag.groupId);
    await this.write('tag.update', tag.id, {
      name,
      groupId,
      from: { name: tag.name, groupId: tag.groupId },
      channel: this.channel,
      account: this.account,
      remoteTagId: t.id,
    });
    this.result.renamed++;
  }

  /** Deleted in WeChat: the binding and what Siyu knew of the tag's holders there go; a tag bound nowhere else leaves the catalog. */
  private async forget(b: BindingRecord): Promise<void> {
    await deleteBinding(this.m, b.id);
    await forgetRemoteTag(this.m, this.channel, this.account, b.remoteTagId);
    if (this.channel === 'oa') await deletePendingOaRows(this.m, this.account, b.tagId);
    this.result.removed++;
    const tag = await findTag(this.m, b.tagId);
    if (!tag) return;
    const details = { name: tag.name, channel: this.channel, account: this.account, remoteTagId: b.remoteTagId };
    if ((await bindingsOfTags(this.m, [tag.id])).length > 0) {
      await this.write('tag.update', tag.id, { ...details, bindingRemoved: true });
      return;
    }
    const affected = await removeAllAssignments(this.m, tag.id);
    await disableSegmentsOfTag(this.m, tag.id, this.now);
    await softDeleteTag(this.m, tag.id, tag.name, this.now);
    if (tag.groupId) this.touchedGroups.add(tag.groupId);
    await this.write('tag.delete', tag.id, { ...details, assignmentsRemoved: affected });
  }

  private async groupId(name: string | null): Promise<string | null> {
    if (name === null) return null;
    const group = cut(name);
    const found = await findGroupByName(this.m, group);
    if (found) return found.id;
    const id = await insertGroup(this.m, group, this.now);
    await this.audit.write(
      {
        actor: WECHAT_ACTOR,
        action: 'tag_group.create',
        targetType: 'tag_group',
        targetId: id,
        details: { name: group, channel: this.channel, account: this.account },
      },
      this.m,
    );
    return id;
  }

  private async dropEmptyGroups(liveGroups: ReadonlySet<string>): Promise<void> {
    for (const id of this.touchedGroups) {
      if ((await countTagsInGroup(this.m, id)) > 0) continue;
      const name = (await findGroup(this.m, id))?.name;
      if (name === undefined || liveGroups.has(name)) continue;
      await deleteGroup(this.m, id);
      await this.audit.write(
        {
          actor: WECHAT_ACTOR,
          action: 'tag_group.delete',
          targetType: 'tag_group',
          targetId: id,
          details: { name, channel: this.channel, account: this.account },
        },
        this.m,
      );
    }
  }

  private write(action: string, tagId: string, details: Record<string, unknown>): Promise<void> {
    return this.audit.write({ actor: WECHAT_ACTOR, action, targetType: 'tag', targetId: tagId, details }, this.m);
  }
}

/** WeCom names a tag within its group; OA names are unique per account. */
function nameKey(channel: TagBindingChannel, groupName: string | null, name: string): string {
  return channel === 'wecom' ? `${groupName ?? ''}\u0000${name}` : name;
}
