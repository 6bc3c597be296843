import { hash32, unit } from '../core/hash';
import type { GroupChat } from './group-chats';
import type { Staff, WecomCorp } from './wecom-corp';
import type { World } from './world';

/**
 * Seeds a corp's customer groups: each owned by a staff member with the customer-contact feature, holding the
 * owner, up to two more staff members and external members. `overlap.groupContacts` of the external members are
 * customers of the corp; the rest are strangers: WeChat users drawn from all persons (`overlap.groupUnionid`;
 * a unionid where the corp is bound) or WeCom users of other corps, new persons without a unionid, some of them in
 * several groups. Deterministic from the seed; times are offsets before `epoch`.
 */
const YEAR = 365 * 86_400;
const GROUP_NAMES = [
  'VIP 会员群',
  '新品体验群',
  '福利分享群',
  '门店交流群',
  '售后服务群',
  '会员活动群',
  '宝妈交流群',
  '老客回馈群',
];

export function seedGroups(w: World, corp: WecomCorp, c: number, epoch: number): void {
  const o = w.options;
  const owners = corp.staff.filter((s) => s.contactFeature && !s.left);
  if (o.wecomGroups === 0 || owners.length === 0) return;
  const seed = o.seed;
  const seededPersons = w.persons.count;
  const contacts = corp.customerCount;
  const wecomStrangers: number[] = [];
  for (let g = 0; g < o.wecomGroups; g++) {
    const hg = hash32(seed, 0x6c0, c, g);
    const owner = owners[g % owners.length]!;
    const base = GROUP_NAMES[g % GROUP_NAMES.length]!;
    const chat = corp.groups.create({
      name: g < GROUP_NAMES.length ? base : `${base}${Math.floor(g / GROUP_NAMES.length) + 1}`,
      owner,
      createTime: epoch - YEAR - (hg % YEAR),
      notice: hg % 3 === 0 ? '欢迎加入，新品与活动会在群里第一时间通知' : '',
    });
    chat.members.push({
      staff: owner,
      slot: -1,
      joinTime: chat.createTime,
      joinScene: 1,
      invitor: undefined,
      nickname: '',
      state: '',
    });
    const extraStaff = Math.min(2, owners.length - 1, o.wecomGroupMembers - 1);
    for (let k = 1; k <= extraStaff; k++) {
      const s = owners[(g + k * 7) % owners.length]!;
      if (s === owner || chat.members.some((m) => m.staff === s)) continue;
      chat.members.push(joined(chat, hash32(seed, 0x6c1, c, g, k), s, -1, owner));
      if (k === 1 && hg % 2 === 0) chat.admins.push(s);
    }
    const inviters = chat.members.map((m) => m.staff!);
    const used = new Set<number>();
    for (let e = chat.members.length; e < o.wecomGroupMembers; e++) {
      for (let attempt = 0; attempt < 4; attempt++) {
        const he = hash32(seed, 0x6c2, c, g, e, attempt);
        let slot: number;
        if (contacts > 0 && unit(he) < o.overlap.groupContacts) {
          slot = (he >>> 3) % contacts;
        } else if (unit(hash32(he, 0x11)) < o.overlap.groupUnionid) {
          slot = wechatStranger(w, corp, he, seededPersons);
        } else if (wecomStrangers.length > 0 && he % 5 === 0) {
          slot = wecomStrangers[(he >>> 4) % wecomStrangers.length]!;
        } else {
          slot = corp.addCustomer(w.addPerson(), 2);
          wecomStrangers.push(slot);
        }
        if (used.has(slot)) continue;
        used.add(slot);
        chat.members.push(joined(chat, he, undefined, slot, inviters[(he >>> 12) % inviters.length]!));
        break;
      }
    }
  }
}

/**
 * A WeChat user who is no contact of the corp: a seeded person (say an OA follower, whom the unionid then links)
 * when a few draws find one, else a new person.
 */
function wechatStranger(w: World, corp: WecomCorp, h: number, seededPersons: number): number {
  for (let k = 0; k < 4; k++) {
    const person = hash32(h, 0x12, k) % seededPersons;
    const slot = corp.personSlot.get(person);
    if (slot < 0) return corp.addCustomer(person, 1);
    if (corp.relationsBySlot[slot]!.length === 0 && corp.slotType.get(slot) === 1) return slot;
  }
  return corp.addCustomer(w.addPerson(), 1);
}

/** A seeded member: join scene 1 or 2 with a staff invitor, or 3 (group QR code, no invitor, sometimes a state). */
function joined(
  chat: GroupChat,
  h: number,
  staff: Staff | undefined,
  slot: number,
  invitor: Staff,
): GroupChat['members'][number] {
  const scene = h % 10 < 5 ? 1 : h % 10 < 8 ? 2 : 3;
  return {
    staff,
    slot,
    joinTime: chat.createTime + 1 + ((h >>> 4) % YEAR),
    joinScene: scene,
    invitor: scene === 3 ? undefined : invitor,
    nickname: h % 11 === 0 ? `群友${(h >>> 8) % 1000}` : '',
    state: scene === 3 && h % 3 === 0 ? `group_qr${(h >>> 6) % 10}` : '',
  };
}
