/**
 * Integer hashing and a seeded PRNG. The world derives ids and attributes from (seed, index) instead of storing
 * them, so the same seed always gives the same world and a million followers cost a few typed arrays.
 */

/**
 * 32-bit multiply. Math.imul is not inlined when code runs inside another realm's context (jest's vm sandbox
 * makes it ~25× slower), and seeding calls this tens of millions of times; plain arithmetic is fast everywhere.
 */
export function imul(a: number, b: number): number {
  const al = a & 0xffff;
  const bl = b & 0xffff;
  return (al * bl + ((((a >>> 16) * bl + al * (b >>> 16)) << 16) >>> 0)) | 0;
}

/** murmur3's 32-bit finaliser: a cheap bijective avalanche on one word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of several 32-bit words (order matters). */
export function hash32(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) h = fmix32((h ^ imul(w | 0, 0xcc9e2d51)) + 0x6b43a9b5);
  return h;
}

/** Uniform number in [0, 1) from a hash word. */
export function unit(h: number): number {
  return h / 0x1_0000_0000;
}

/** 32-bit FNV-1a of a string: turns names (app ids, API names) into hash words. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: a small deterministic PRNG for sequences (tokens, codes, chaos decisions). */
export class Prng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  }

  nextInt(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  /** `n` characters of the given alphabet. */
  chars(n: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.nextInt(alphabet.length)];
    return out;
  }

  hex(n: number): string {
    return this.chars(n, '0123456789abcdef');
  }
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** base64url alphabet: real openids and external_userids use letters, digits, `-` and `_`. */
export const ID_ALPHABET = `${ALNUM}-_`;
