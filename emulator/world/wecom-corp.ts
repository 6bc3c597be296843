import { IntColumn } from '../core/columns';
import { hash32 } from '../core/hash';
import type { Corp } from './apps';
import { ContactWayStore } from './contact-ways';
import { CorpTagStore } from './corp-tags';
import { GroupChatStore } from './group-chats';
import type { PersonStore } from './person-store';
import { TransferStore } from './transfers';

/**
 * One WeCom corp: staff (members), customers (external contacts, one slot each, the external_userid encodes the
 * slot and the `wm`/`wo` prefix the type) and follow relations between them (wechat-api.md §5, §13 item 12).
 * Relations carry a corp-wide sequence number: cursors page by it, so deletions never shift a page.
 */
export interface Staff {
  index: number;
  userid: string;
  name: string;
  /** Has the customer-contact feature (listed by get_follow_user_list). */
  contactFeature: boolean;
  /** Department ids (user/get `department[]`); the first is the main department. */
  departments: number[];
  position: string;
  /** Left the corp: gone from the directory APIs (60111), relations kept for departed-staff handling. */
  left: boolean;
  /** When the member left (get_unassigned_list `dimission_time`), unix seconds. */
  leftAt?: number;
  /** The most customers the member may hold; a transfer to a member at it ends with status 4. */
  customerLimit?: number;
  /** Inside the sidebar app's visible range: user/get with its token answers 60011 otherwise. */
  visibleToAgent: boolean;
  relations: Relation[];
}

/** department/list entry (wechat-api-wecom-ops.md §6.4); id 1 is the root. */
export interface Department {
  id: number;
  name: string;
  nameEn: string;
  parentId: number;
  order: number;
}

export interface Relation {
  seq: number;
  staff: Staff;
  slot: number;
  createtime: number;
  addWay: number;
  /** The customer initiated the add: oper_userid is then the customer's external_userid. */
  byCustomer: boolean;
  state: string;
  remark: string;
  description: string;
  remarkCorpName: string;
  remarkMobiles: string[];
  tags: number[];
  /** del_follow_user: the customer deleted the member; the one-way relation remains. */
  customerDeleted: boolean;
}

const PINYIN: [string, string][] = [
  ['王', 'wang'],
  ['李', 'li'],
  ['张', 'zhang'],
  ['刘', 'liu'],
  ['陈', 'chen'],
  ['杨', 'yang'],
  ['黄', 'huang'],
  ['赵', 'zhao'],
  ['吴', 'wu'],
  ['周', 'zhou'],
  ['徐', 'xu'],
  ['孙', 'sun'],
  ['马', 'ma'],
  ['朱', 'zhu'],
  ['胡', 'hu'],
  ['郭', 'guo'],
];
const GIVEN: [string, string][] = [
  ['伟', 'wei'],
  ['芳', 'fang'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['磊', 'lei'],
  ['洋', 'yang'],
  ['勇', 'yong'],
  ['杰', 'jie'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['婷', 'ting'],
  ['霞', 'xia'],
  ['刚', 'gang'],
  ['丹', 'dan'],
  ['欢', 'huan'],
];
const DEPARTMENTS = ['销售部', '客户成功部', '市场部'];
const DEPARTMENT_EN = ['Sales', 'Customer Success', 'Marketing'];
const COMPANIES = ['腾讯', '华为', '阿里巴巴', '字节跳动', '美团', '京东', '小米', '网易'];
const POSITIONS = ['采购经理', '运营总监', '市场专员', '店长', '产品经理'];

export class WecomCorp {
  readonly staff: Staff[] = [];
  readonly staffByUserid = new Map<string, Staff>();
  readonly slotPerson: IntColumn;
  readonly personSlot: IntColumn;
  readonly slotType: IntColumn;
  readonly relationsBySlot: Relation[][] = [];
  readonly names = new Map<number, string>();
  readonly tags: CorpTagStore;
  readonly departments: Department[] = [];
  readonly groups: GroupChatStore;
  readonly contactWays = new ContactWayStore();
  readonly transfers = new TransferStore(this);
  private nextSeq = 1;

  constructor(
    readonly corp: Corp,
    private readonly seed: number,
    private readonly persons: PersonStore,
    slotCapacity: number,
    tagLimit: number,
  ) {
    this.slotPerson = new IntColumn(Int32Array, slotCapacity);
    this.personSlot = new IntColumn(Int32Array, persons.count, -1);
    this.slotType = new IntColumn(Uint8Array, slotCapacity);
    this.tags = new CorpTagStore(corp.tagCodec, tagLimit);
    this.groups = new GroupChatStore(corp.chatCodec);
    this.departments.push({ id: 1, name: corp.name, nameEn: '', parentId: 0, order: 100_000_000 });
    DEPARTMENTS.forEach((name, i) =>
      this.departments.push({
        id: i + 2,
        name,
        nameEn: DEPARTMENT_EN[i]!,
        parentId: 1,
        order: 100_000_000 - (i + 1) * 1000,
      }),
    );
  }

  /** Members still in the corp (the directory APIs never show those who left). */
  get members(): Staff[] {
    return this.staff.filter((s) => !s.left);
  }

  department(id: number): Department | undefined {
    return this.departments.find((d) => d.id === id);
  }

  addDepartment(name: string, parentId = 1): Department {
    const d: Department = {
      id: Math.max(...this.departments.map((x) => x.id)) + 1,
      name,
      nameEn: '',
      parentId,
      order: 0,
    };
    this.departments.push(d);
    return d;
  }

  get customerCount(): number {
    return this.slotPerson.length;
  }

  addStaff(userid?: string, name?: string, contactFeature = true, departments?: number[]): Staff {
    const index = this.staff.length;
    const h = hash32(this.seed, this.corp.index, 0x57af, index);
    const [sn, sp] = PINYIN[h % PINYIN.length]!;
    const [gn, gp] = GIVEN[(h >>> 8) % GIVEN.length]!;
    let id = userid ?? `${sp}${gp}`;
    if (!userid) for (let n = 2; this.staffByUserid.has(id); n++) id = `${sp}${gp}${n}`;
    if (this.staffByUserid.has(id)) throw new RangeError(`userid ${id} already exists`);
    // Sales staff spread over the seeded departments; every tenth also sits in the root department.
    const depts =
      departments ?? (index % 10 === 0 ? [2 + (index % DEPARTMENTS.length), 1] : [2 + (index % DEPARTMENTS.length)]);
    const s: Staff = {
      index,
      userid: id,
      name: name ?? sn + gn,
      contactFeature,
      departments: depts,
      position: index === 0 ? '销售经理' : '销售顾问',
      left: false,
      visibleToAgent: true,
      relations: [],
    };
    this.staff.push(s);
    this.staffByUserid.set(id, s);
    return s;
  }

  /** update_user with NewUserID: the member keeps everything under the new userid. */
  renameStaff(s: Staff, newUserid: string): void {
    if (this.staffByUserid.has(newUserid)) throw new RangeError(`userid ${newUserid} already exists`);
    this.staffByUserid.delete(s.userid);
    s.userid = newUserid;
    this.staffByUserid.set(newUserid, s);
  }

  addCustomer(person: number, type: 1 | 2): number {
    const slot = this.slotPerson.push(person);
    this.personSlot.set(person, slot);
    this.slotType.set(slot, type);
    this.relationsBySlot.push([]);
    return slot;
  }

  externalUserid(slot: number): string {
    return (this.slotType.get(slot) === 2 ? this.corp.woCodec : this.corp.wmCodec).encode(slot);
  }

  /** Slot of an external_userid of this corp, or -1. */
  slotOf(externalUserid: unknown): number {
    if (typeof externalUserid !== 'string') return -1;
    const type = externalUserid.startsWith('wo') ? 2 : 1;
    const slot = (type === 2 ? this.corp.woCodec : this.corp.wmCodec).decode(externalUserid);
    return slot >= 0 && slot < this.customerCount && this.slotType.get(slot) === type ? slot : -1;
  }

  addRelation(
    staff: Staff,
    slot: number,
    r: Partial<Omit<Relation, 'seq' | 'staff' | 'slot'>> & { createtime: number },
  ): Relation {
    const rel: Relation = {
      seq: this.nextSeq++,
      staff,
      slot,
      createtime: r.createtime,
      addWay: r.addWay ?? 1,
      byCustomer: r.byCustomer ?? false,
      state: r.state ?? '',
      remark: r.remark ?? '',
      description: r.description ?? '',
      remarkCorpName: r.remarkCorpName ?? '',
      remarkMobiles: r.remarkMobiles ?? [],
      tags: r.tags ?? [],
      customerDeleted: false,
    };
    staff.relations.push(rel);
    this.relationsBySlot[slot]!.push(rel);
    return rel;
  }

  relation(staff: Staff, slot: number): Relation | undefined {
    return this.relationsBySlot[slot]?.find((r) => r.staff === staff);
  }

  /** del_external_contact: the member deleted the customer; the relation is gone. */
  removeRelation(rel: Relation): void {
    rel.staff.relations.splice(rel.staff.relations.indexOf(rel), 1);
    const list = this.relationsBySlot[rel.slot]!;
    list.splice(list.indexOf(rel), 1);
  }

  stripTags(nums: number[]): void {
    if (nums.length === 0) return;
    const gone = new Set(nums);
    for (const list of this.relationsBySlot)
      for (const r of list) if (r.tags.length) r.tags = r.tags.filter((t) => !gone.has(t));
  }

  customerName(slot: number): string {
    return this.names.get(slot) ?? this.persons.name(this.slotPerson.get(slot));
  }

  /** 0 unknown, 1 male, 2 female. */
  gender(slot: number): number {
    return this.persons.gender(this.slotPerson.get(slot));
  }

  company(slot: number): { corpName: string; corpFullName: string; position: string } {
    const h = hash32(this.seed, 0xc0b, this.corp.index, slot);
    const c = COMPANIES[h % COMPANIES.length]!;
    return { corpName: c, corpFullName: `${c}科技有限公司`, position: POSITIONS[(h >>> 8) % POSITIONS.length]! };
  }
}
