/**
 * Growable typed-array columns: the world keeps per-follower state (slot → person, subscribed, subscribe time,
 * scene) in these instead of objects, so a million followers take a few megabytes.
 */
type IntArray = Int32Array | Uint32Array | Uint8Array | Uint16Array;
type IntArrayCtor = new (length: number) => IntArray;

export class IntColumn {
  private data: IntArray;
  private size = 0;

  constructor(
    private readonly ctor: IntArrayCtor,
    capacity = 16,
    private readonly empty = 0,
  ) {
    this.data = this.allocate(Math.max(16, capacity));
  }

  get length(): number {
    return this.size;
  }

  get(i: number): number {
    return i < this.size ? this.data[i]! : this.empty;
  }

  set(i: number, v: number): void {
    if (i >= this.data.length) this.grow(i + 1);
    this.data[i] = v;
    if (i >= this.size) this.size = i + 1;
  }

  push(v: number): number {
    const i = this.size;
    this.set(i, v);
    return i;
  }

  private allocate(n: number): IntArray {
    const a = new this.ctor(n);
    if (this.empty !== 0) a.fill(this.empty);
    return a;
  }

  private grow(min: number): void {
    const next = this.allocate(Math.max(min, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

/** Growable bitset over follower slots: one per OA tag (membership test, paging in slot order, counts). */
export class Bitset {
  private words: Uint32Array;
  count = 0;

  constructor(capacityBits = 1024) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(capacityBits / 32)));
  }

  has(i: number): boolean {
    const w = i >>> 5;
    return w < this.words.length && (this.words[w]! & (1 << (i & 31))) !== 0;
  }

  /** Returns true when the bit changed. */
  add(i: number): boolean {
    const w = i >>> 5;
    if (w >= this.words.length) {
      const next = new Uint32Array(Math.max(w + 1, this.words.length * 2));
      next.set(this.words);
      this.words = next;
    }
    const m = 1 << (i & 31);
    if ((this.words[w]! & m) !== 0) return false;
    this.words[w] = this.words[w]! | m;
    this.count++;
    return true;
  }

  delete(i: number): boolean {
    const w = i >>> 5;
    if (w >= this.words.length) return false;
    const m = 1 << (i & 31);
    if ((this.words[w]! & m) === 0) return false;
    this.words[w] = this.words[w]! & ~m;
    this.count--;
    return true;
  }

  /** First set bit at or after `from`, or -1. Skips empty words, so sparse tags page quickly. */
  nextSet(from: number): number {
    let w = from >>> 5;
    if (w >= this.words.length) return -1;
    let word = this.words[w]! & (~0 << (from & 31));
    for (;;) {
      if (word !== 0) return (w << 5) + (31 - Math.clz32(word & -word));
      if (++w >= this.words.length) return -1;
      word = this.words[w]!;
    }
  }

  clear(): void {
    this.words.fill(0);
    this.count = 0;
  }
}
