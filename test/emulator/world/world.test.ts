import { parseWorldOptions } from '../../../emulator/options';
import { personTruth } from '../../../emulator/world/truth';
import { World } from '../../../emulator/world/world';
import { PersonStore } from '../../../emulator/world/person-store';

describe('World', () => {
  it('rejects out-of-range options', () => {
    expect(() => parseWorldOptions({ overlap: { phone: 2 } })).toThrow();
    expect(() => parseWorldOptions({ officialAccounts: 0 })).toThrow();
  });

  it('is the same for the same seed and different for another', () => {
    const a = new World(parseWorldOptions({ seed: 5, followers: 500 }));
    const b = new World(parseWorldOptions({ seed: 5, followers: 500 }));
    const c = new World(parseWorldOptions({ seed: 6, followers: 500 }));
    expect(personTruth(b, 17)).toEqual(personTruth(a, 17));
    expect(b.registry).toEqual(a.registry);
    expect(c.registry.officialAccounts[0]!.appId).not.toBe(a.registry.officialAccounts[0]!.appId);
  });

  it('lays out followers, unfollowers and the overlaps asked for', () => {
    const w = new World(
      parseWorldOptions({
        followers: 10_000,
        wecomContacts: 2000,
        overlap: { unsubscribed: 0.1, secondaryOa: 0.3, miniProgram: 0.4, wecomFromOa: 0.5 },
      }),
    );
    const [first, second] = w.oa;
    expect(first!.subscribedCount).toBe(10_000);
    expect(first!.size).toBe(11_000);
    expect(w.persons.count).toBe(11_000 + 1000);
    expect(second!.size / w.persons.count).toBeCloseTo(0.3, 1);
    expect(w.mp[0]!.size / w.persons.count).toBeCloseTo(0.4, 1);
    const corp = w.wecom[0]!;
    expect(corp.customerCount).toBe(2000);
    let fromOa = 0;
    for (let s = 0; s < corp.customerCount; s++) if (first!.personSlot.get(corp.slotPerson.get(s)) >= 0) fromOa++;
    expect(fromOa).toBe(1000);
    const multi = corp.relationsBySlot.filter((r) => r.length > 1).length / corp.customerCount;
    expect(multi).toBeGreaterThan(0.08);
    expect(multi).toBeLessThan(0.25);
  });

  it('seeds OA tags within the 20-per-user rule even with many tags', () => {
    const w = new World(parseWorldOptions({ followers: 2000, oaTags: 60 }));
    const aud = w.oa[0]!;
    let max = 0;
    for (let s = 0; s < aud.size; s++) max = Math.max(max, aud.tags.countOf(s));
    expect(max).toBeLessThanOrEqual(20);
    expect(aud.tags.tags.size).toBe(61);
  });
});

describe('PersonStore phones', () => {
  it('refuses a number already owned by someone else', () => {
    const ps = new PersonStore(3, 100, 1);
    const taken = ps.phoneOf(1)!;
    expect(() => ps.assignPhone(2, taken)).toThrow(RangeError);
  });

  it('derives unique numbers that resolve back to their owner, and keeps assigned ones', () => {
    const ps = new PersonStore(3, 50_000, 0.5);
    const seen = new Map<string, number>();
    for (let p = 0; p < 50_000; p++) {
      const phone = ps.phoneOf(p);
      if (!phone) continue;
      expect(seen.has(phone)).toBe(false);
      seen.set(phone, p);
    }
    expect(seen.size).toBeGreaterThan(24_000);
    expect(seen.size).toBeLessThan(26_000);
    for (const [phone, p] of [...seen].slice(0, 500)) expect(ps.ownerOfPhone(phone)).toBe(p);
    const without = [...Array(50_000).keys()].find((p) => !ps.phoneOf(p))!;
    expect(ps.assignPhone(without, '19912345678')).toBe('19912345678');
    expect(ps.ownerOfPhone('19912345678')).toBe(without);
    expect(ps.ownerOfPhone('12345')).toBe(-1);
  });
});
