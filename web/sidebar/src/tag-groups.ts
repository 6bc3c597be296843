import type { SidebarTagPageJson, SidebarTagRef } from './sidebar-api';

/** The sources a rep's tap removes; a segment's `rule` assignment stays with its segment (as the admin API). */
const REMOVABLE = ['manual', 'staff', 'wechat'];

export interface TagToggle {
  id: string;
  name: string;
  on: boolean;
  /** On, but only a rule holds it: the tap cannot take it away. */
  locked: boolean;
  boundToCorp: boolean;
}

export interface TagGroup {
  name: string | null;
  tags: TagToggle[];
}

/**
 * The company's tag library grouped by tag group (WeCom's corp tag groups, e.g. 客户等级): the server's groups of
 * the corp's tags when it sends them, else the catalog page grouped here; groups and tags in the server's order,
 * ungrouped last; a tag the customer carries that neither lists is shown too.
 */
export function tagGroups(library: SidebarTagPageJson, tags: readonly SidebarTagRef[]): TagGroup[] {
  const catalog = library.groups
    ? library.groups.flatMap((g) =>
        g.tags.map((t) => ({ id: t.id, name: t.name, groupName: g.name, boundToCorp: true })),
      )
    : library.items;
  const sources = new Map<string, string[]>();
  for (const t of tags) sources.set(t.id, [...(sources.get(t.id) ?? []), t.source]);
  const toggle = (id: string, name: string, boundToCorp: boolean): TagToggle => {
    const held = sources.get(id) ?? [];
    return {
      id,
      name,
      on: held.length > 0,
      locked: held.length > 0 && !held.some((s) => REMOVABLE.includes(s)),
      boundToCorp,
    };
  };
  const groups = new Map<string | null, TagToggle[]>();
  const listed = new Set<string>();
  for (const t of catalog) {
    listed.add(t.id);
    const key = t.groupName ?? null;
    groups.set(key, [...(groups.get(key) ?? []), toggle(t.id, t.name, t.boundToCorp)]);
  }
  for (const t of tags) {
    if (listed.has(t.id)) continue;
    listed.add(t.id);
    groups.set(null, [...(groups.get(null) ?? []), toggle(t.id, t.name, true)]);
  }
  const out = [...groups].filter(([name]) => name !== null).map(([name, list]) => ({ name, tags: list }));
  const ungrouped = groups.get(null);
  if (ungrouped) out.push({ name: null, tags: ungrouped });
  return out;
}
