import { Bitset } from '../core/columns';
import { WxError } from '../core/wx-error';

/**
 * One OA's user tags with WeChat's rules (wechat-api.md §3): ≤100 custom tags (45056), names ≤30 bytes or
 * characters (45158) and unique (45157), reserved ids 0/1/2 untouchable (45058), unknown id 45159, ≤20 tags per
 * user (45059), no delete above 100,000 fans (45057). Members are bitsets over follower slots.
 * https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html
 */
export interface OaTag {
  id: number;
  name: string;
  members: Bitset;
}

export const RESERVED_TAG_IDS = [0, 1, 2];
const MAX_CUSTOM_TAGS = 100;
const MAX_TAGS_PER_USER = 20;
const MAX_FANS_TO_DELETE = 100_000;
const NAME_MAX = 30;

export class OaTagStore {
  readonly tags = new Map<number, OaTag>();
  private nextId = 100;

  constructor(
    private readonly nameUnit: 'bytes' | 'chars',
    private readonly slotCapacity: number,
  ) {
    this.tags.set(2, { id: 2, name: '星标组', members: new Bitset(64) });
  }

  create(rawName: unknown): OaTag {
    const name = this.checkName(rawName);
    if (this.customCount() >= MAX_CUSTOM_TAGS) throw new WxError(45056);
    const tag: OaTag = { id: this.nextId++, name, members: new Bitset(this.slotCapacity) };
    this.tags.set(tag.id, tag);
    return tag;
  }

  update(id: unknown, rawName: unknown): void {
    const tag = this.writable(id);
    if (rawName === tag.name) return;
    tag.name = this.checkName(rawName);
  }

  delete(id: unknown): void {
    const tag = this.writable(id);
    if (tag.members.count > MAX_FANS_TO_DELETE) throw new WxError(45057);
    this.tags.delete(tag.id);
  }

  get(id: unknown): OaTag {
    const tag = typeof id === 'number' ? this.tags.get(id) : undefined;
    if (!tag) throw new WxError(45159);
    return tag;
  }

  /** All or nothing: if any user would pass 20 tags, nothing changes (45059). */
  tagSlots(id: unknown, slots: number[]): void {
    const tag = this.get(id);
    for (const s of slots) {
      if (!tag.members.has(s) && this.countOf(s) >= MAX_TAGS_PER_USER) throw new WxError(45059);
    }
    for (const s of slots) tag.members.add(s);
  }

  untagSlots(id: unknown, slots: number[]): void {
    const tag = this.get(id);
    for (const s of slots) tag.members.delete(s);
  }

  tagsOf(slot: number): number[] {
    const out: number[] = [];
    for (const t of this.tags.values()) if (t.members.has(slot)) out.push(t.id);
    return out;
  }

  countOf(slot: number): number {
    let n = 0;
    for (const t of this.tags.values()) if (t.members.has(slot)) n++;
    return n;
  }

  clearSlot(slot: number): void {
    for (const t of this.tags.values()) t.members.delete(slot);
  }

  private customCount(): number {
    let n = 0;
    for (const id of this.tags.keys()) if (!RESERVED_TAG_IDS.includes(id)) n++;
    return n;
  }

  private writable(id: unknown): OaTag {
    if (typeof id === 'number' && RESERVED_TAG_IDS.includes(id)) throw new WxError(45058);
    return this.get(id);
  }

  private checkName(raw: unknown): string {
    if (typeof raw !== 'string' || raw.trim() === '') throw new WxError(45157);
    const len = this.nameUnit === 'bytes' ? Buffer.byteLength(raw, 'utf8') : [...raw].length;
    if (len > NAME_MAX) throw new WxError(45158);
    for (const t of this.tags.values()) if (t.name === raw) throw new WxError(45157);
    return raw;
  }
}
