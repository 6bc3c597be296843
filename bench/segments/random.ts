/**
 * A seeded PRNG and the few distributions the segments world is drawn from, so a run at a given size always
 * seeds the same rows and its figures compare with the last run's.
 */
export type Random = () => number;

/** mulberry32: 32-bit state, fast and good enough to shape test data (not for anything secret). */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An integer in [0, n). */
export const below = (r: Random, n: number): number => Math.floor(r() * n);

/** Failures before the first success with mean `mean`, capped at `max` (a long tail of heavy users). */
export function geometric(r: Random, mean: number, max: number): number {
  const q = mean / (1 + mean);
  return Math.min(max, Math.floor(Math.log(1 - r()) / Math.log(q)));
}

/** A log-normal draw: most values near `median`, a tail of large ones (order amounts). */
export function logNormal(r: Random, median: number, sigma: number): number {
  const u = Math.max(r(), Number.EPSILON);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  return median * Math.exp(sigma * z);
}

/** One of `items`, chosen by its weight. */
export function weighted<T>(r: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}
