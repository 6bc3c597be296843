import type { EntityManager } from '../../storage';
import { findOfficialAccount, findWecom } from '../../../config';
import { AuditLogWriter } from '../../audit/audit-log.writer';
import { isDuplicateKeyError } from '../../storage/sql';
import { assignmentCounts, removeAllAssignments } from '../../storage/tags/customer-tag.repository';
import { deletePendingOaRows } from '../../storage/tags/outbox.repository';
import { disableSegmentsOfTag } from '../../storage/segments/segment.repository';
import { bindingStats } from '../../storage/tags/tag-stats.repository';
import type { TagDetail, TagPage, TagView } from '../tags-api.types';
import {
  bindingsOfTags,
  deleteBinding,
  insertBinding,
  resetBinding,
  type BindingRecord,
} from '../../storage/tags/binding.repository';
import { DEFAULT_WECOM_GROUP } from '../bindings/remote-binder';
import { queueTagSweep } from '../../storage/tags/bulk-job.repository';
import { OutboxWriter, type EnqueueCounts } from '../outbox/outbox-writer';
import { outboxSignal } from '../outbox/outbox-signal';
import { tagConflict, tagInvalid, tagNotFound } from '../tag-errors';
import type { Actor, TagsDeps } from '../tags-deps';
import { findGroup } from '../../storage/tags/tag-group.repository';
import type { BindingInput, CreateTagInput, UpdateTagInput } from './tag-input.schema';
import {
  findTag,
  insertTag,
  listTags,
  softDeleteTag,
  updateTag,
  type TagRecord,
} from '../../storage/tags/tag.repository';
import { tagView } from './tag-view';

interface WantedBinding {
  channel: 'oa' | 'wecom';
  account: string;
  remoteName: string;
  remoteGroupName: string | null;
}

/** The catalog (DESIGN §5, §8.3 `GET/POST /tags`, `PATCH/DELETE /tags/:id`): tags, their group, their bindings. */
export class TagCatalogService {
  private readonly audit: AuditLogWriter;
  private readonly writer: OutboxWriter;

  constructor(private readonly deps: TagsDeps) {
    this.audit = new AuditLogWriter(deps.ds);
    this.writer = new OutboxWriter(deps.config.tags.wecomFanout);
  }

  async list(opts: { groupId?: string; q?: string; cursor?: string; limit: number }): Promise<TagPage> {
    const rows = await listTags(this.deps.ds, {
      groupId: opts.groupId,
      q: opts.q,
      after: opts.cursor,
      limit: opts.limit + 1,
    });
    const page = rows.slice(0, opts.limit);
    const bindings = await bindingsOfTags(
      this.deps.ds,
      page.map((t) => t.id),
    );
    return {
      items: page.map((t) => tagView(t, bindings)),
      nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null,
    };
  }

  async get(id: string): Promise<TagView> {
    const tag = await findTag(this.deps.ds, id);
    if (!tag) throw tagNotFound(`tag ${id}`);
    return tagView(tag, await bindingsOfTags(this.deps.ds, [id]));
  }

  /** `GET /api/v1/tags/:id`: the tag, how many customers carry it (per source) and per binding pushed/pending/failed/drifted. */
  async detail(id: string): Promise<TagDetail> {
    const tag = await this.get(id);
    const bindings = await bindingsOfTags(this.deps.ds, [id]);
    const stats = await Promise.all(
      bindings.map((b) => bindingStats(this.deps.ds, b, this.deps.config.tags.wecomFanout)),
    );
    const { customers, bySource } = await assignmentCounts(this.deps.ds, id);
    return {
      ...tag,
      customers,
      bySource,
      bindings: tag.bindings.map((b, i) => ({ ...b, stats: stats[i]! })),
    };
  }

  async create(input: CreateTagInput, actor: Actor): Promise<TagView> {
    const groupId = await this.group(input.groupId ?? null);
    const id = await this.write(async (m, now) => {
      const tagId = await insertTag(m, {
        name: input.name,
        groupId,
        description: input.description ?? null,
        createdBy: actor.name,
        now,
      });
      const tag = (await findTag(m, tagId))!;
      for (const b of this.wanted(tag, input.bindings ?? [])) await insertBinding(m, { tagId, ...b, now });
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'tag.create',
          targetType: 'tag',
          targetId: tagId,
          details: { name: input.name, groupId, bindings: input.bindings ?? [] },
        },
        m,
      );
      return tagId;
    });
    return this.get(id);
  }

  async update(id: string, input: UpdateTagInput, actor: Actor): Promise<TagView> {
    const groupId = input.groupId === undefined ? undefined : await this.group(input.groupId);
    await this.write(async (m, now) => {
      const tag = await findTag(m, id);
      if (!tag) throw tagNotFound(`tag ${id}`);
      await updateTag(m, id, { name: input.name, groupId, description: input.description }, now);
      let added = 0;
      if (input.bindings) added = await this.syncBindings(m, (await findTag(m, id))!, input.bindings, now);
      if (added > 0) await queueTagSweep(m, id, actor.name, now);
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'tag.update',
          targetType: 'tag',
          targetId: id,
          details: { ...input },
        },
        m,
      );
    });
    return this.get(id);
  }

  /** Soft delete: assignments go, segments producing it stop, and removal from WeChat is queued. */
  async remove(id: string, actor: Actor): Promise<{ id: string; deleted: true; queued: EnqueueCounts }> {
    const queued = await this.write(async (m, now) => {
      const tag = await findTag(m, id);
      if (!tag) throw tagNotFound(`tag ${id}`);
      const affected = await removeAllAssignments(m, id);
      await disableSegmentsOfTag(m, id, now);
      await softDeleteTag(m, id, tag.name, now);
      const counts = await this.writer.enqueueTagRemoval(m, id, now);
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'tag.delete',
          targetType: 'tag',
          targetId: id,
          details: { name: tag.name, assignmentsRemoved: affected, ...counts },
        },
        m,
      );
      return counts;
    });
    outboxSignal(this.deps.ds).notify();
    return { id, deleted: true, queued };
  }

  /** Applies the requested binding list; returns how many bindings are new or revived (their account needs the existing assignments). */
  private async syncBindings(m: EntityManager, tag: TagRecord, inputs: BindingInput[], now: Date): Promise<number> {
    const current = await bindingsOfTags(m, [tag.id]);
    const key = (b: { channel: string; account: string }) => `${b.channel}:${b.account}`;
    const wanted = new Map(this.wanted(tag, inputs, current).map((w) => [key(w), w]));
    let added = 0;
    for (const b of current) {
      const w = wanted.get(key(b));
      if (!w) {
        await deleteBinding(m, b.id);
        await deletePendingOaRows(m, b.account, tag.id);
        continue;
      }
      wanted.delete(key(b));
      const renamed =
        w.remoteName !== b.remoteName || (b.channel === 'wecom' && w.remoteGroupName !== b.remoteGroupName);
      if (renamed && b.status === 'bound') {
        throw tagInvalid(
          `binding to ${b.account} is bound to remote tag ${b.remoteTagId} (${b.remoteName}); remove the binding and add it again to bind another remote tag`,
        );
      }
      // A renamed pending binding takes the new name; a failed one is tried again, with the tag's members.
      if (renamed || b.status === 'failed')
        await resetBinding(m, b.id, { remoteName: w.remoteName, remoteGroupName: w.remoteGroupName, error: null }, now);
      if (b.status === 'failed') added++;
    }
    for (const w of wanted.values()) {
      await insertBinding(m, {
        tagId: tag.id,
        channel: w.channel,
        account: w.account,
        remoteName: w.remoteName,
        remoteGroupName: w.remoteGroupName,
        now,
      });
      added++;
    }
    return added;
  }

  /** Bindings as stored: accounts must be configured; names default to the existing binding's, else the tag's. */
  private wanted(tag: TagRecord, inputs: BindingInput[], current: BindingRecord[] = []): WantedBinding[] {
    const seen = new Set<string>();
    return inputs.map((b, i) => {
      const account = b.channel === 'oa' ? b.appId : b.corpId;
      const configured =
        b.channel === 'oa' ? findOfficialAccount(this.deps.config, account) : findWecom(this.deps.config, account);
      if (!configured)
        throw tagInvalid(
          `bindings.${i}: no ${b.channel === 'oa' ? 'official-account' : 'wecom'} account ${account} is configured`,
        );
      if (seen.has(`${b.channel}:${account}`))
        throw tagInvalid(`bindings.${i}: ${b.channel} account ${account} is listed twice`);
      seen.add(`${b.channel}:${account}`);
      const existing = current.find((c) => c.channel === b.channel && c.account === account);
      const remoteName = b.name ?? existing?.remoteName ?? tag.name;
      if (b.channel === 'oa' && Buffer.byteLength(remoteName, 'utf8') > 30)
        throw tagInvalid(`bindings.${i}: OA tag names are at most 30 bytes; give the binding a shorter name`);
      if (b.channel === 'wecom' && [...remoteName].length > 30)
        throw tagInvalid(`bindings.${i}: WeCom tag names are at most 30 characters; give the binding a shorter name`);
      const remoteGroupName =
        b.channel === 'wecom'
          ? (b.groupName ?? existing?.remoteGroupName ?? tag.groupName?.slice(0, 30) ?? DEFAULT_WECOM_GROUP)
          : null;
      return { channel: b.channel, account, remoteName, remoteGroupName };
    });
  }

  private async group(id: string | null): Promise<string | null> {
    if (id === null) return null;
    if (!(await findGroup(this.deps.ds, id))) throw tagInvalid(`groupId: tag group ${id} does not exist`);
    return id;
  }

  private async write<T>(fn: (m: EntityManager, now: Date) => Promise<T>): Promise<T> {
    try {
      return await this.deps.ds.transaction((m) => fn(m, new Date(this.deps.now())));
    } catch (err) {
      if (isDuplicateKeyError(err)) throw tagConflict('a tag with this name already exists in this group');
      throw err;
    }
  }
}
