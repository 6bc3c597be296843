import type { DataSource } from '../../storage';
import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import type { Logger } from '../../logger';
import { waitForLease } from '../../storage/locks';
import type { Clients } from '../../tokens/clients';
import { classifyFailure, BindingFailedError } from '../outbox/push-errors';
import { findBinding, markBound, markFailed, type BindingRecord } from '../../storage/tags/binding.repository';

/** The WeCom tag group a binding lands in when none was given. */
export const DEFAULT_WECOM_GROUP = 'Siyu';

interface Remote {
  tagId: string;
  groupId: string | null;
  name: string;
  groupName: string | null;
}

/**
 * Creates a bound tag in WeChat on first use (DESIGN §5), or adopts the remote tag that already has its name:
 * OA `tags/create` answers 45157 for a duplicate name, WeCom `add_corp_tag` 40071 for a name taken in the group.
 * One instance at a time per binding (a lease row), re-checked once it is held, so two pushers never create twice.
 * A refusal for good (45056 100 tags, 40126 corp cap, an invalid name) marks the binding failed with the errcode.
 */
export class RemoteBinder {
  constructor(private readonly deps: { ds: DataSource; clients: Clients; now: () => number; logger: Logger }) {}

  async ensure(binding: BindingRecord): Promise<BindingRecord & { remoteTagId: string }> {
    if (binding.status === 'bound' && binding.remoteTagId) return binding as BindingRecord & { remoteTagId: string };
    if (binding.status === 'failed')
      throw new BindingFailedError(
        errcodeOf(binding.error),
        `binding ${binding.id} failed: ${binding.error ?? 'unknown'}`,
      );
    const result = await waitForLease(this.deps.ds, `tags:bind:${binding.id}`, () => this.create(binding.id), {
      ttlMs: 15_000,
      waitMs: 15_000,
    });
    if (!result.acquired) throw new Error(`binding ${binding.id} is being created by another instance`);
    return result.value;
  }

  private async create(id: string): Promise<BindingRecord & { remoteTagId: string }> {
    const fresh = await findBinding(this.deps.ds, id);
    if (!fresh) throw new BindingFailedError(null, `binding ${id} was removed`);
    if (fresh.status === 'bound' && fresh.remoteTagId) return fresh as BindingRecord & { remoteTagId: string };
    const now = () => new Date(this.deps.now());
    let remote: Remote;
    try {
      remote = fresh.channel === 'oa' ? await this.createOa(fresh) : await this.createWecom(fresh);
    } catch (err) {
      const failure = classifyFailure(err);
      if (!failure.permanent) throw err;
      const error = `errcode ${failure.errcode ?? 'none'}: ${failure.message}`;
      await markFailed(this.deps.ds, fresh.id, error, now());
      this.deps.logger.warn(
        { bindingId: fresh.id, channel: fresh.channel, account: fresh.account, errcode: failure.errcode },
        'remote tag cannot be created',
      );
      throw new BindingFailedError(failure.errcode, error);
    }
    await markBound(this.deps.ds, fresh.id, remote, now());
    return {
      ...fresh,
      remoteTagId: remote.tagId,
      remoteGroupId: remote.groupId,
      remoteName: remote.name,
      remoteGroupName: remote.groupName,
      status: 'bound',
      error: null,
    };
  }

  /** https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html (create; 45157 duplicate) */
  private async createOa(b: BindingRecord): Promise<Remote> {
    const name = b.remoteName ?? '';
    const tags = this.deps.clients.oa(b.account).tags;
    try {
      const tag = await tags.createTag(name);
      return { tagId: String(tag.id), groupId: null, name, groupName: null };
    } catch (err) {
      if (!isWechatApiError(err) || err.category !== 'CONFLICT') throw err;
      const existing = (await tags.getTags()).find((t) => t.name === name);
      if (!existing) throw err;
      return { tagId: String(existing.id), groupId: null, name, groupName: null };
    }
  }

  /** https://developer.work.weixin.qq.com/document/path/92117 (add_corp_tag joins a group by name; 40071 name taken) */
  private async createWecom(b: BindingRecord): Promise<Remote> {
    const name = b.remoteName ?? '';
    const groupName = b.remoteGroupName ?? DEFAULT_WECOM_GROUP;
    const api = this.deps.clients.wecom(b.account).corpTags;
    try {
      const group = await api.addCorpTag({ groupName, tags: [{ name }] });
      const tag = group.tag?.find((t) => t.name === name);
      if (!tag) throw new Error(`add_corp_tag returned no tag named ${name}`);
      return { tagId: tag.id, groupId: group.group_id, name, groupName: group.group_name };
    } catch (err) {
      if (!isWechatApiError(err) || err.category !== 'CONFLICT') throw err;
      const group = (await api.getCorpTagList()).find((g) => g.group_name === groupName && !g.deleted);
      const tag = group?.tag?.find((t) => t.name === name && !t.deleted);
      if (!group || !tag) throw err;
      return { tagId: tag.id, groupId: group.group_id, name, groupName: group.group_name };
    }
  }
}

function errcodeOf(error: string | null): number | null {
  const m = /^errcode (-?\d+)/.exec(error ?? '');
  return m ? Number(m[1]) : null;
}
