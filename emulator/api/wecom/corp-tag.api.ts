import { WxError } from '../../core/wx-error';
import { corpOf, type Endpoint } from '../../http/endpoint';
import type { CorpTag, CorpTagGroup, NewTag } from '../../world/corp-tags';
import { CONTACT_API } from './contact.api';

/**
 * Corp customer tag library (wechat-api.md §5.5); rules in world/corp-tags.ts. Changes made here never emit
 * change_external_tag callbacks (API changes are silent in WeChat).
 * https://developer.work.weixin.qq.com/document/path/92117
 */
function idList(v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new WxError(47001);
  return v as string[];
}

function tagView(t: CorpTag, withDeleted: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: t.id, name: t.name, create_time: t.createTime, order: t.order };
  if (withDeleted) out.deleted = t.deleted;
  return out;
}

function groupView(g: CorpTagGroup, tags: CorpTag[], withDeleted: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    group_id: g.id,
    group_name: g.name,
    create_time: g.createTime,
    order: g.order,
  };
  if (withDeleted) out.deleted = g.deleted;
  out.tag = [...tags].sort((a, b) => b.order - a.order || a.num - b.num).map((t) => tagView(t, withDeleted));
  return out;
}

/** POST get_corp_tag_list {"tag_id"?,"group_id"?} — both empty = all; group_id wins over tag_id. */
const list: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/get_corp_tag_list',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const b = call.body();
    const groupIds = idList(b.group_id);
    const tagIds = idList(b.tag_id);
    if (groupIds.length > 0) {
      const groups = groupIds.flatMap((id) => {
        const g = corp.tags.lookup(id);
        return g && !('group' in g) ? [g] : [];
      });
      return { tag_group: groups.map((g) => groupView(g, g.tags, true)) };
    }
    if (tagIds.length > 0) {
      const byGroup = new Map<CorpTagGroup, CorpTag[]>();
      for (const id of tagIds) {
        const t = corp.tags.lookup(id);
        if (t && 'group' in t) byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), t]);
      }
      return { tag_group: [...byGroup].map(([g, tags]) => groupView(g, tags, true)) };
    }
    return { tag_group: corp.tags.groups().map((g) => groupView(g, g.tags, false)) };
  },
};

/** POST add_corp_tag {"group_id"?,"group_name"?,"order"?,"tag":[{"name","order"}]} → the group with the new tags. */
const add: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/add_corp_tag',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const b = call.body();
    if (!Array.isArray(b.tag)) throw new WxError(40058);
    const tags: NewTag[] = b.tag.map((t: unknown) => {
      if (!t || typeof t !== 'object') throw new WxError(47001);
      const { name, order } = t as { name?: unknown; order?: unknown };
      return { name: name as string, order: typeof order === 'number' ? order : 0 };
    });
    const { group, created } = corp.tags.add(
      {
        groupId: typeof b.group_id === 'string' ? b.group_id : undefined,
        groupName: typeof b.group_name === 'string' ? b.group_name : undefined,
        groupOrder: typeof b.order === 'number' ? b.order : undefined,
      },
      tags,
      call.now,
    );
    const view = groupView(group, created, false);
    return { tag_group: view };
  },
};

/** POST edit_corp_tag {"id","name"?,"order"?} — id of a tag or a group. */
const edit: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/edit_corp_tag',
  method: 'POST',
  handle(call) {
    const b = call.body();
    corpOf(call).corp.tags.edit(b.id, b.name, b.order);
    return {};
  },
};

/** POST del_corp_tag {"tag_id":[],"group_id":[]} — removed tags also leave every customer. */
const del: Endpoint = {
  ...CONTACT_API,
  path: '/cgi-bin/externalcontact/del_corp_tag',
  method: 'POST',
  handle(call) {
    const { corp } = corpOf(call);
    const b = call.body();
    corp.stripTags(corp.tags.delete(idList(b.tag_id), idList(b.group_id)));
    return {};
  },
};

export const corpTagEndpoints: Endpoint[] = [list, add, edit, del];
