import {
  buildMix,
  dedupeIdentity,
  dueMs,
  emptyCursor,
  kindSequence,
  stepCount,
  worldNeeds,
  type MixPools,
} from '../../../bench/pipeline/mix';

const openids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const relations = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ userid: `u${i % 7}`, externalUserId: `wm${i}` }));
const pools = (newPeople: number, known: number, rels: number): MixPools => ({
  newOpenids: openids('oNew', newPeople),
  knownOpenids: openids('oKnown', known),
  relations: relations(rels),
  cursor: emptyCursor(1000n),
});
const START = Date.UTC(2026, 0, 1, 8, 0, 0, 400);

describe('pipeline bench mix', () => {
  it('refuses a step the known pool cannot fill without repeating a person in one second', () => {
    expect(() => buildMix(1000, 1000, START, pools(1000, 5, 1000))).toThrow(/known people are too few/);
  });

  it('refuses a step once the new people run out', () => {
    expect(() => buildMix(1000, 100, START, pools(10, 500, 1000))).toThrow(/new people/);
  });

  it('spreads the kinds evenly in their shares', () => {
    const kinds = kindSequence(1000);
    const count = (k: string, xs: string[]) => xs.filter((x) => x === k).length;
    expect([
      count('oa-text', kinds),
      count('oa-subscribe-new', kinds),
      count('wecom-add', kinds),
      count('oa-subscribe-known', kinds),
    ]).toEqual([400, 250, 200, 150]);
    for (let n = 20; n <= 1000; n += 20) {
      const prefix = kinds.slice(0, n);
      expect(Math.abs(count('oa-text', prefix) - 0.4 * n)).toBeLessThanOrEqual(1);
      expect(Math.abs(count('oa-subscribe-known', prefix) - 0.15 * n)).toBeLessThanOrEqual(1);
    }
  });

  it('schedules callback i at i/rate whatever came before, with the due second as CreateTime', () => {
    expect([dueMs(0, 500), dueMs(1, 500), dueMs(750, 500)]).toEqual([0, 2, 1500]);
    const mix = buildMix(1000, 500, START, pools(1000, 500, 1000));
    expect(mix[0]!.createTime).toBe(Math.floor(START / 1000));
    expect(mix[299]!.createTime).toBe(Math.floor(START / 1000)); // 400 ms + 598 ms
    expect(mix[300]!.createTime).toBe(Math.floor(START / 1000) + 1);
  });

  it('gives every callback of a run its own dedupe key and each new person and relation one callback', () => {
    const rates = [200, 400, 800];
    const needs = worldNeeds(rates, 3);
    const p = pools(needs.newPeople, needs.known, needs.relations);
    const all = rates.flatMap((rate, k) => buildMix(stepCount(rate, 3), rate, START + k * 10_000, p));
    expect(new Set(all.map(dedupeIdentity)).size).toBe(all.length);
    const news = all.flatMap((s) => (s.kind === 'oa-subscribe-new' ? [s.openid] : []));
    const adds = all.flatMap((s) => (s.kind === 'wecom-add' ? [s.relation.externalUserId] : []));
    expect(new Set(news).size).toBe(news.length);
    expect(new Set(adds).size).toBe(adds.length);
    expect(
      all
        .filter((s) => s.kind === 'oa-text' || s.kind === 'oa-subscribe-known')
        .every((s) => 'openid' in s && s.openid.startsWith('oKnown')),
    ).toBe(true);
  });
});
