import { fmix32, hash32, ID_ALPHABET, imul } from './hash';

/**
 * Reversible ids: `prefix + 6 chars carrying a scrambled 32-bit index + filler chars derived from (key, index)`.
 * Nothing is stored per id; decode() recovers the index and re-encodes to reject forgeries and ids of other apps
 * (each app has its own key and prefix). Shapes follow real ids: openid `o` + 27 chars (28), unionid 28,
 * external_userid `wm`/`wo` + 28 (30), corp tag ids `et` + 30 (32).
 */
const CHAR_INDEX = new Map<string, number>([...ID_ALPHABET].map((c, i) => [c, i]));
const M1 = 0x9e3779b1;
const M2 = 0x85ebca77;

function inverseOdd(a: number): number {
  let x = a;
  for (let i = 0; i < 5; i++) x = imul(x, 2 - imul(a, x));
  return x >>> 0;
}
const M1_INV = inverseOdd(M1);
const M2_INV = inverseOdd(M2);

function scramble(x: number, key: number): number {
  let y = (x ^ key) >>> 0;
  y = imul(y, M1) >>> 0;
  y = (y ^ (y >>> 16)) >>> 0;
  y = imul(y, M2) >>> 0;
  return (y ^ (y >>> 13)) >>> 0;
}

function unscramble(y: number, key: number): number {
  let x = (y ^ (y >>> 13) ^ (y >>> 26)) >>> 0;
  x = imul(x, M2_INV) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = imul(x, M1_INV) >>> 0;
  return (x ^ key) >>> 0;
}

export class IdCodec {
  private readonly total: number;

  constructor(
    readonly prefix: string,
    private readonly key: number,
    private readonly bodyLength: number,
  ) {
    if (bodyLength < 8) throw new RangeError('id body must be at least 8 characters');
    this.total = prefix.length + bodyLength;
  }

  encode(index: number): string {
    const s = scramble(index, this.key);
    const check = hash32(this.key, index) & 0xf;
    let out = this.prefix;
    // 36 bits: 4 check bits then the 32 scrambled bits, 6 bits per character.
    const hi = (check << 4) | (s >>> 28);
    out += ID_ALPHABET[hi >>> 2]! + ID_ALPHABET[((hi & 3) << 4) | ((s >>> 24) & 0xf)]!;
    for (let shift = 18; shift >= 0; shift -= 6) out += ID_ALPHABET[(s >>> shift) & 0x3f]!;
    let filler = this.bodyLength - 6;
    let round = 0;
    while (filler > 0) {
      let h = fmix32(hash32(this.key, index, round++));
      for (let j = 0; j < 5 && filler > 0; j++, filler--) {
        out += ID_ALPHABET[h & 0x3f]!;
        h >>>= 6;
      }
    }
    return out;
  }

  /** The index an id was made from, or -1 when it is not an id of this codec. */
  decode(id: string): number {
    if (typeof id !== 'string' || id.length !== this.total || !id.startsWith(this.prefix)) return -1;
    const p = this.prefix.length;
    const c: number[] = [];
    for (let i = 0; i < 6; i++) {
      const v = CHAR_INDEX.get(id[p + i]!);
      if (v === undefined) return -1;
      c.push(v);
    }
    const hi = (c[0]! << 2) | (c[1]! >>> 4);
    const s = (((hi & 0xf) << 28) | ((c[1]! & 0xf) << 24) | (c[2]! << 18) | (c[3]! << 12) | (c[4]! << 6) | c[5]!) >>> 0;
    const index = unscramble(s, this.key);
    if (index > 0x7fffffff) return -1;
    return this.encode(index) === id ? index : -1;
  }
}
