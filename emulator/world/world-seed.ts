import { hash32, unit } from '../core/hash';
import { pickScene } from './oa-audience';
import type { World } from './world';
import type { WecomCorp } from './wecom-corp';
import { seedGroups } from './group-seed';

/**
 * Seeds a world deterministically. Layout: persons [0, followers) follow the first OA, the next
 * `followers × unsubscribed` persons hold its openid without following; each corp's customers come partly from
 * those persons (overlap `wecomFromOa`) and partly from WeCom-only persons appended after them. Further OAs and
 * Mini Programs draw their audiences from all persons by hash. Times are fixed offsets before EPOCH, not the
 * clock, so the world is identical whenever it is seeded.
 */
export const EPOCH = 1_735_660_800;
const YEAR = 365 * 86_400;
const OA_TAG_NAMES = [
  '高价值客户',
  '新客',
  '沉睡用户',
  '会员',
  '直播观众',
  '门店到访',
  '优惠敏感',
  '复购客户',
  '活动报名',
  '华东地区',
];
const CORP_GROUPS = ['客户等级', '购买意向', '来源渠道', '兴趣偏好', '生命周期'];
const CORP_TAGS = ['一般', '重要', '核心', '战略', '高', '中', '低', '门店', '线上', '活动'];
const ADD_WAYS = [1, 1, 1, 2, 3, 4, 5, 6, 7, 201, 202, 0];

function coprimeStride(n: number, seed: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let s = Math.max(1, (Math.floor(n * 0.618) + (seed % 97)) % Math.max(1, n));
  while (gcd(s, n) !== 1) s++;
  return s;
}

export function seedWorld(w: World, layout: { base: number; fromOa: number }): void {
  const o = w.options;
  const seed = o.seed;
  const P = w.persons.count;
  const first = w.oa[0]!;
  for (let p = 0; p < layout.base; p++) {
    const h = hash32(seed, 0x5ab5, p);
    first.addSlot(p, p < o.followers, EPOCH - (h % (3 * YEAR)), pickScene(hash32(seed, 0x5ce, p)));
  }
  w.oa.slice(1).forEach((aud, i) => {
    for (let p = 0; p < P; p++) {
      if (unit(hash32(seed, 0x0a2, i, p)) >= o.overlap.secondaryOa) continue;
      const h = hash32(seed, 0x0a3, i, p);
      aud.addSlot(p, unit(h) < o.overlap.secondaryFollowing, EPOCH - (h % (2 * YEAR)), pickScene(h >>> 7));
    }
  });
  w.mp.forEach((aud, i) => {
    for (let p = 0; p < P; p++) if (unit(hash32(seed, 0x3b, i, p)) < o.overlap.miniProgram) aud.addSlot(p);
  });
  w.oa.forEach((aud, i) => seedOaTags(w, i, aud.size));
  w.wecom.forEach((corp, c) => seedCorp(w, corp, c, layout));
  // After every corp's customers: strangers without a unionid are new persons appended after all seeded ones.
  w.wecom.forEach((corp, c) => seedGroups(w, corp, c, EPOCH));
}

function seedOaTags(w: World, i: number, slots: number): void {
  const o = w.options;
  const aud = w.oa[i]!;
  const perUser = o.oaTags > 20 ? new Uint8Array(slots) : undefined;
  for (let t = 0; t < o.oaTags; t++) {
    const base = OA_TAG_NAMES[t % OA_TAG_NAMES.length]!;
    const tag = aud.tags.create(t < OA_TAG_NAMES.length ? base : `${base}${Math.floor(t / OA_TAG_NAMES.length) + 1}`);
    const share = 0.02 + (hash32(o.seed, i, 0x7a9, t) % 29) / 100;
    for (let s = 0; s < slots; s++) {
      if (!aud.isFollower(s) || unit(hash32(o.seed, i, t, s)) >= share) continue;
      if (perUser) {
        if (perUser[s]! >= 20) continue;
        perUser[s]!++;
      }
      tag.members.add(s);
    }
  }
}

function seedCorp(w: World, corp: WecomCorp, c: number, layout: { base: number; fromOa: number }): void {
  const o = w.options;
  const seed = o.seed;
  for (let s = 0; s < o.wecomStaff; s++) corp.addStaff(undefined, undefined, s === 0 || s % 10 !== 9);
  const staff = corp.staff.filter((s) => s.contactFeature);
  for (let g = 0; g < o.corpTagGroups; g++) {
    const names = Array.from({ length: o.corpTagsPerGroup }, (_, t) => {
      const n = CORP_TAGS[(g * 3 + t) % CORP_TAGS.length]!;
      return t < CORP_TAGS.length ? n : `${n}${t}`;
    });
    const groupName = g < CORP_GROUPS.length ? CORP_GROUPS[g]! : `标签组${g + 1}`;
    corp.tags.add(
      { groupName, groupOrder: o.corpTagGroups - g },
      names.map((name, t) => ({ name, order: names.length - t })),
      EPOCH - YEAR,
    );
  }
  const tagNums = corp.tags.groups().flatMap((g) => g.tags.map((t) => t.num));
  const stride = coprimeStride(layout.base, seed + c);
  const wecomOnlyStart = layout.base + c * (o.wecomContacts - layout.fromOa);
  for (let i = 0; i < o.wecomContacts; i++) {
    const person = i < layout.fromOa ? (i * stride + c * 7919) % layout.base : wecomOnlyStart + (i - layout.fromOa);
    const h = hash32(seed, 0xc5, c, i);
    const slot = corp.addCustomer(person, unit(h) < o.overlap.wecomUser ? 2 : 1);
    const followers = unit(hash32(seed, 0xf0, c, i)) < o.overlap.multiFollow ? 2 + (h % 3) : 1;
    for (let k = 0; k < followers && k < staff.length; k++) {
      const member = staff[(hash32(seed, 0x51, c, i) + k) % staff.length]!;
      const hr = hash32(seed, 0x4e1, c, i, k);
      const addWay = ADD_WAYS[hr % ADD_WAYS.length]!;
      const tags = tagNums.length && unit(hr) < 0.3 ? [tagNums[(hr >>> 5) % tagNums.length]!] : [];
      corp.addRelation(member, slot, {
        createtime: EPOCH - (hr % (2 * YEAR)),
        addWay,
        byCustomer: addWay === 1 || addWay === 3,
        state: addWay === 1 && hr % 4 === 0 ? `qr${(hr >>> 3) % 20}` : '',
        remark: hr % 5 === 0 ? `${corp.customerName(slot)}-VIP` : '',
        description: '',
        tags,
      });
    }
  }
}
