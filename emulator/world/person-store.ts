import { hash32, unit } from '../core/hash';

/**
 * Persons are indices 0..count-1. Phone numbers, names and gender derive from (seed, index); only numbers
 * assigned later (control API, phone codes) are stored. A derived number encodes the index, so owner lookups
 * need no table.
 */
const PHONE_PREFIXES = [
  '130',
  '131',
  '132',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '157',
  '158',
  '159',
  '166',
  '176',
  '177',
  '180',
  '181',
  '185',
  '186',
  '187',
  '188',
  '189',
  '199',
];
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '高',
  '罗',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '婷',
  '欣怡',
  '子涵',
  '浩然',
];
const PHONE_SPACE = 100_000_000;
const PHONE_MUL = 48_271;

function modInverse(a: number, m: number): number {
  let [r0, r1, t0, t1] = [m, a, 0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return ((t0 % m) + m) % m;
}
const PHONE_MUL_INV = modInverse(PHONE_MUL, PHONE_SPACE);

function mulMod(a: number, b: number, m: number): number {
  // Split b to keep every intermediate product below 2^53.
  const hi = Math.floor(b / 10_000);
  const lo = b % 10_000;
  return (((a * hi) % m) * 10_000 + a * lo) % m;
}

export class PersonStore {
  private readonly assigned = new Map<number, string>();
  private readonly assignedOwner = new Map<string, number>();
  /** Persons created after a number equal to their derived one was assigned elsewhere: they have no phone. */
  private readonly phoneless = new Set<number>();

  constructor(
    private readonly seed: number,
    public count: number,
    private readonly phoneRatio: number,
  ) {}

  add(): number {
    const p = this.count++;
    const derived = this.derivedPhone(p);
    if (this.assignedOwner.has(derived)) this.phoneless.add(p);
    return p;
  }

  exists(p: number): boolean {
    return Number.isInteger(p) && p >= 0 && p < this.count;
  }

  phoneOf(p: number): string | undefined {
    const a = this.assigned.get(p);
    if (a !== undefined) return a;
    if (this.phoneless.has(p) || unit(hash32(this.seed, 0x9407e, p)) >= this.phoneRatio) return undefined;
    return this.derivedPhone(p);
  }

  /** Gives a person a phone number: the given one, or the one derived from the index. */
  assignPhone(p: number, phone?: string): string {
    const number = phone ?? this.derivedPhone(p);
    const owner = this.ownerOfPhone(number);
    if (owner !== -1 && owner !== p) throw new RangeError(`phone ${number} already belongs to person ${owner}`);
    const old = this.assigned.get(p);
    if (old !== undefined) this.assignedOwner.delete(old);
    this.assigned.set(p, number);
    this.assignedOwner.set(number, p);
    this.phoneless.delete(p);
    return number;
  }

  ownerOfPhone(phone: string): number {
    const a = this.assignedOwner.get(phone);
    if (a !== undefined) return a;
    if (!/^1\d{10}$/.test(phone)) return -1;
    const p = mulMod(
      PHONE_MUL_INV,
      (Number(phone.slice(3)) - (this.seed % PHONE_SPACE) + PHONE_SPACE) % PHONE_SPACE,
      PHONE_SPACE,
    );
    return this.exists(p) && this.phoneOf(p) === phone ? p : -1;
  }

  name(p: number): string {
    const h = hash32(this.seed, 0x4a3e, p);
    return SURNAMES[h % SURNAMES.length]! + GIVEN[(h >>> 8) % GIVEN.length]!;
  }

  /** 0 unknown, 1 male, 2 female (WeCom external_contact.gender). */
  gender(p: number): number {
    return hash32(this.seed, 0x93d, p) % 3;
  }

  private derivedPhone(p: number): string {
    const prefix = PHONE_PREFIXES[hash32(this.seed, 0x9ef1, p) % PHONE_PREFIXES.length]!;
    const body = (mulMod(PHONE_MUL, p, PHONE_SPACE) + (this.seed % PHONE_SPACE)) % PHONE_SPACE;
    return prefix + String(body).padStart(8, '0');
  }
}
