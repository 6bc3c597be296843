import type { CorpTagGroupWire } from '../../../connectors/wecom/client-types';
import { retryingTransaction } from '../../identity/retrying-transaction';
import { execute } from '../../storage/sql';
import { saveCorpTagLibrary } from '../../syncs/wecom/corp-tag.repository';
import type { Clients } from '../../tokens/clients';
import { bindingsOfAccount, markBound, markFailed, updateRemoteNames } from '../bindings/binding.repository';
import type { TagsDeps } from '../tags-deps';

export interface LibraryRefresh {
  tags: number;
  /** Bindings whose corp tag is gone (deleted in WeCom): failed with 40068 until the tag's bindings are saved again. */
  lost: number;
  renamed: number;
  /** Pending bindings whose group + name now exist and were adopted. */
  adopted: number;
}

/**
 * Re-reads a corp's tag library (DESIGN §5: what `change_external_tag` asks for; wechat-api.md §5.5, §5.9) and
 * brings the bindings in line: a bound tag deleted in WeCom fails its binding (errcode 40068) and its relation
 * state is dropped, a renamed or moved tag is followed, a pending binding whose group + name exist is adopted.
 * The library is also saved to `wecom_corp_tags`, the cache the contacts sync keeps.
 * https://developer.work.weixin.qq.com/document/path/92117
 */
export class CorpTagLibrary {
  constructor(private readonly deps: TagsDeps & { clients: Clients }) {}

  async refresh(corpId: string): Promise<LibraryRefresh> {
    const groups = await this.deps.clients.wecom(corpId).corpTags.getCorpTagList();
    const now = new Date(this.deps.now());
    return retryingTransaction(this.deps.ds, async (m) => {
      const saved = await saveCorpTagLibrary(m, corpId, groups, now);
      const result: LibraryRefresh = { tags: saved.tags, lost: 0, renamed: 0, adopted: 0 };
      const { byId, byName } = index(groups);
      for (const b of await bindingsOfAccount(m, 'wecom', corpId)) {
        if (b.remoteTagId) {
          const live = byId.get(b.remoteTagId);
          if (!live) {
            await markFailed(m, b.id, 'errcode 40068: the corp tag was deleted in WeCom', now);
            await execute(m, "DELETE FROM remote_tag_state WHERE channel = 'wecom' AND account = ? AND remote_tag_id = ?", [corpId, b.remoteTagId]);
            result.lost++;
          } else if (live.name !== b.remoteName || live.groupName !== b.remoteGroupName || live.groupId !== b.remoteGroupId) {
            await updateRemoteNames(m, b.id, { name: live.name, groupId: live.groupId, groupName: live.groupName }, now);
            result.renamed++;
          }
        } else if (b.status === 'pending') {
          const found = byName.get(`${b.remoteGroupName ?? ''}\u0000${b.remoteName ?? ''}`);
          if (found) {
            await markBound(m, b.id, { tagId: found.id, groupId: found.groupId, name: found.name, groupName: found.groupName }, now);
            result.adopted++;
          }
        }
      }
      return result;
    });
  }
}

interface LiveTag {
  id: string;
  name: string;
  groupId: string;
  groupName: string;
}

function index(groups: readonly CorpTagGroupWire[]): { byId: Map<string, LiveTag>; byName: Map<string, LiveTag> } {
  const byId = new Map<string, LiveTag>();
  const byName = new Map<string, LiveTag>();
  for (const g of groups) {
    if (g.deleted) continue;
    for (const t of g.tag ?? []) {
      if (t.deleted) continue;
      const live = { id: t.id, name: t.name, groupId: g.group_id, groupName: g.group_name };
      byId.set(t.id, live);
      byName.set(`${g.group_name}\u0000${t.name}`, live);
    }
  }
  return { byId, byName };
}
