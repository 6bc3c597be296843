import type { IdCodec } from '../core/id-codec';
import { WxError } from '../core/wx-error';

/**
 * A corp's customer tag library (wechat-api.md §5.5): groups holding tags, names ≤30 characters (40072) unique
 * within their group (40071), a corp-wide cap (40126), unknown ids 40068. Adding without group_id to an existing
 * group name adds to that group; deleting a group's last tag deletes the group. Deleted entries stay as
 * tombstones because get_corp_tag_list by id reports `deleted`.
 * https://developer.work.weixin.qq.com/document/path/92117
 */
export interface CorpTag {
  num: number;
  id: string;
  name: string;
  createTime: number;
  order: number;
  group: CorpTagGroup;
  deleted: boolean;
}

export interface CorpTagGroup {
  num: number;
  id: string;
  name: string;
  createTime: number;
  order: number;
  tags: CorpTag[];
  deleted: boolean;
}

export interface NewTag {
  name: string;
  order?: number;
}

const NAME_MAX = 30;

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '' || [...name].length > NAME_MAX) throw new WxError(40072);
  return name;
}

function byOrder<T extends { order: number; num: number }>(a: T, b: T): number {
  return b.order - a.order || a.num - b.num;
}

export class CorpTagStore {
  private readonly byId = new Map<string, CorpTag | CorpTagGroup>();
  private readonly byNum = new Map<number, CorpTag>();
  private readonly live: CorpTagGroup[] = [];
  private nextNum = 1;
  liveTags = 0;

  constructor(
    private readonly codec: IdCodec,
    public limit: number,
  ) {}

  groups(): CorpTagGroup[] {
    return [...this.live].sort(byOrder);
  }

  tag(num: number): CorpTag | undefined {
    return this.byNum.get(num);
  }

  lookup(id: string): CorpTag | CorpTagGroup | undefined {
    return this.byId.get(id);
  }

  /** A live tag by its `et…` id (40068 otherwise). */
  liveTag(id: unknown): CorpTag {
    const t = typeof id === 'string' ? this.byId.get(id) : undefined;
    if (!t || !('group' in t) || t.deleted) throw new WxError(40068);
    return t;
  }

  add(
    target: { groupId?: string; groupName?: string; groupOrder?: number },
    tags: NewTag[],
    now: number,
  ): { group: CorpTagGroup; created: CorpTag[] } {
    if (tags.length === 0) throw new WxError(40058);
    const names = new Map<string, NewTag>();
    for (const t of tags) {
      const name = checkName(t.name);
      if (!names.has(name)) names.set(name, t);
    }
    let group: CorpTagGroup | undefined;
    if (target.groupId !== undefined && target.groupId !== '') {
      const g = this.byId.get(target.groupId);
      if (!g || 'group' in g || g.deleted) throw new WxError(40068);
      group = g;
    } else {
      const groupName = checkName(target.groupName);
      group = this.live.find((g) => g.name === groupName);
      if (!group) {
        if (this.liveTags + names.size > this.limit) throw new WxError(40126);
        group = {
          num: this.nextNum++,
          id: '',
          name: groupName,
          createTime: now,
          order: target.groupOrder ?? 0,
          tags: [],
          deleted: false,
        };
        group.id = this.codec.encode(group.num);
      }
    }
    for (const name of names.keys()) if (group.tags.some((t) => t.name === name)) throw new WxError(40071);
    if (this.liveTags + names.size > this.limit) throw new WxError(40126);
    if (!this.live.includes(group)) {
      this.live.push(group);
      this.byId.set(group.id, group);
    }
    const created: CorpTag[] = [];
    for (const [name, t] of names) {
      const tag: CorpTag = {
        num: this.nextNum++,
        id: '',
        name,
        createTime: now,
        order: t.order ?? 0,
        group,
        deleted: false,
      };
      tag.id = this.codec.encode(tag.num);
      group.tags.push(tag);
      this.byId.set(tag.id, tag);
      this.byNum.set(tag.num, tag);
      created.push(tag);
    }
    this.liveTags += created.length;
    return { group, created };
  }

  edit(id: unknown, name: unknown, order: unknown): void {
    const item = typeof id === 'string' ? this.byId.get(id) : undefined;
    if (!item || item.deleted) throw new WxError(40068);
    if (name !== undefined && name !== item.name) {
      const n = checkName(name);
      const siblings: { name: string }[] = 'group' in item ? item.group.tags : this.live;
      if (siblings.some((s) => s !== item && s.name === n)) throw new WxError(40071);
      item.name = n;
    }
    if (order !== undefined) {
      if (typeof order !== 'number' || !Number.isInteger(order) || order < 0 || order >= 2 ** 32)
        throw new WxError(40058);
      item.order = order;
    }
  }

  /** Deletes tags and groups; returns the numbers of every tag removed (callers strip them from relations). */
  delete(tagIds: string[], groupIds: string[]): number[] {
    if (tagIds.length === 0 && groupIds.length === 0) throw new WxError(40058);
    const groups = groupIds.map((id) => {
      const g = this.byId.get(id);
      if (!g || 'group' in g || g.deleted) throw new WxError(40068);
      return g;
    });
    const tags = tagIds.map((id) => this.liveTag(id));
    const removed: number[] = [];
    const dropTag = (t: CorpTag) => {
      if (t.deleted) return;
      t.deleted = true;
      this.liveTags--;
      removed.push(t.num);
      t.group.tags = t.group.tags.filter((x) => x !== t);
    };
    for (const g of groups) for (const t of [...g.tags]) dropTag(t);
    for (const t of tags) dropTag(t);
    for (const g of [...this.live]) {
      if (g.tags.length === 0) {
        g.deleted = true;
        this.live.splice(this.live.indexOf(g), 1);
      }
    }
    return removed;
  }
}
