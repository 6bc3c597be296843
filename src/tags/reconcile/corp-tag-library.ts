import type { DataSource } from '../../storage';
import type { CorpTagGroupWire } from '../../../connectors/wecom/client-types';
import { retryingTransaction } from '../../storage/conflict-retry';
import { saveCorpTagLibrary } from '../../storage/syncs/wecom-corp-tag.repository';
import type { Clients } from '../../tokens/clients';
import { outboxSignal } from '../outbox/outbox-signal';
import { relationsReportingTags } from '../../storage/tags/wecom-relations.repository';
import type { TagsDeps } from '../tags-deps';
import { RelationObserver } from './relation-observer';
import { importRemoteTags, type CatalogImport, type RemoteTag } from './remote-catalog';

export interface LibraryRefresh {
  tags: number;
  /** Corp tags new to the catalog. */
  created: number;
  /** Corp tags joined to the catalog tag that already had their name (pending binding, or same group + name). */
  adopted: number;
  renamed: number;
  /** Bindings whose corp tag was deleted in WeCom. */
  lost: number;
  /** Relation tags of newly bound corp tags that became `wechat` assignments. */
  assigned: number;
}

const PAGE = 500;

/**
 * Reads a corp's tag library (get_corp_tag_list returns it whole; wechat-api.md §5.5) into the catalog
 * (DESIGN §10.4, importRemoteTags): the full `corp-tags` sync and the re-read a `change_external_tag` asks for
 * (DESIGN §5). The library is also kept in `wecom_corp_tags`. Relations the last sync or re-read saw carrying a
 * corp tag that was only now bound become `wechat` assignments, so the order of the two syncs does not matter.
 * https://developer.work.weixin.qq.com/document/path/92117
 */
export class CorpTagLibrary {
  private readonly observer = new RelationObserver();

  constructor(private readonly deps: TagsDeps & { clients: Clients }) {}

  async refresh(corpId: string): Promise<LibraryRefresh> {
    const groups = await this.deps.clients.wecom(corpId).corpTags.getCorpTagList();
    const now = new Date(this.deps.now());
    const imported: CatalogImport = await retryingTransaction(this.deps.ds, async (m) => {
      await saveCorpTagLibrary(m, corpId, groups, now);
      return importRemoteTags(m, 'wecom', corpId, liveTags(groups), (t) => t.groupName, now);
    });
    const assigned = await this.adoptReported(this.deps.ds, corpId, new Set(imported.newlyBound), now);
    if (assigned > 0) outboxSignal(this.deps.ds).notify();
    return {
      tags: imported.tags,
      created: imported.created,
      adopted: imported.adopted,
      renamed: imported.renamed,
      lost: imported.removed,
      assigned,
    };
  }

  private async adoptReported(ds: DataSource, corpId: string, tagIds: ReadonlySet<string>, now: Date): Promise<number> {
    if (tagIds.size === 0) return 0;
    let assigned = 0;
    for (let after = '0'; ;) {
      const page = await relationsReportingTags(ds, corpId, after, PAGE);
      const last = page[page.length - 1];
      if (!last) return assigned;
      after = last.id;
      const carrying = page.filter((r) => r.reportedTags.some((t) => tagIds.has(t)));
      if (carrying.length === 0) continue;
      const relations = carrying.map((r) => ({
        userid: r.userid,
        externalUserid: r.externalUserid,
        corpTagIds: r.reportedTags,
        customerId: r.customerId,
      }));
      assigned += (await retryingTransaction(ds, (m) => this.observer.observe(m, corpId, relations, now, tagIds)))
        .adopted;
    }
  }
}

/** Tags of groups that are not deleted, as the catalog sees them. */
function liveTags(groups: readonly CorpTagGroupWire[]): RemoteTag[] {
  return groups
    .filter((g) => !g.deleted)
    .flatMap((g) =>
      (g.tag ?? [])
        .filter((t) => !t.deleted)
        .map((t) => ({ id: t.id, name: t.name, groupId: g.group_id, groupName: g.group_name })),
    );
}
