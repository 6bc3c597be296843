import { ref } from 'vue';
import { api, qs } from '../api/http';
import type { Tag, TagPage } from '../api/types';

/** The whole tag catalog for pickers, read once per screen (the API pages it at 500). */
export function useTagCatalog() {
  const tags = ref<Tag[]>([]);
  const error = ref<unknown>(null);
  const ready = (async () => {
    try {
      const out: Tag[] = [];
      let cursor: string | null = null;
      do {
        const page: TagPage = await api<TagPage>(`/tags${qs({ limit: 500, cursor })}`);
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && out.length < 5000);
      tags.value = out;
    } catch (e) {
      error.value = e;
    }
  })();
  return { tags, error, ready };
}

/** Catalog tags grouped by tag group (corp tag groups included), for `el-select` option groups. */
export function groupTags(tags: Tag[], noGroup: string): { label: string; tags: Tag[] }[] {
  const groups = new Map<string, Tag[]>();
  for (const tag of tags) {
    const key = tag.groupName ?? '';
    groups.set(key, [...(groups.get(key) ?? []), tag]);
  }
  return [...groups]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([label, list]) => ({ label: label || noGroup, tags: list }));
}

export function tagLabel(tag: Pick<Tag, 'name' | 'groupName'>): string {
  return tag.groupName ? `${tag.groupName} / ${tag.name}` : tag.name;
}
