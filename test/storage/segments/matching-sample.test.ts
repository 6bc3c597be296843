import { uuidv7 } from '../../../src/storage/ids';
import { insertIgnore } from '../../../src/storage/sql';
import { matchingSample } from '../../../src/storage/segments/segment-membership.repository';
import { useTestDatabase } from '../../helpers/describe-db';

describe('a preview count and its sample', () => {
  const db = useTestDatabase();
  const ids = Array.from({ length: 30 }, () => uuidv7()).sort();

  beforeAll(async () => {
    const t = new Date('2026-01-01T00:00:00.000Z');
    await insertIgnore(
      db.ds,
      'customers',
      ids.map((id, i) => ({
        id,
        // 25 active customers named even or odd, and five merged ones that a preview never counts.
        status: i < 25 ? 'active' : 'merged',
        display_name: i % 2 === 0 ? `偶数${i}` : `奇数${i}`,
        created_at: t,
        updated_at: t,
      })),
    );
  });

  // Both ways of answering: a count and an early-stopping sample for a rule over the customer row alone, or one pass.
  describe.each([true, false])('a rule over customer columns only: %s', (onlyCustomerColumns) => {
    const rule = (prefix: string) => ({ sql: 'c.display_name LIKE ?', params: [`${prefix}%`], onlyCustomerColumns });

    it('counts every match while the sample holds the first ones by id', async () => {
      const r = await matchingSample(db.ds, rule('偶数'), 5);
      expect(r.count).toBe(13);
      expect(r.sample.map((s) => s.id)).toEqual(ids.filter((_, i) => i < 25 && i % 2 === 0).slice(0, 5));
      expect(r.sample[0]!.displayName).toBe('偶数0');
    });

    it('counts all matches when fewer than the sample size match', async () => {
      const r = await matchingSample(db.ds, rule('奇数'), 50);
      expect(r.count).toBe(12);
      expect(r.sample).toHaveLength(12);
    });

    it('answers 0 and an empty sample when nobody matches, and counts without a sample', async () => {
      expect(await matchingSample(db.ds, rule('无'), 20)).toEqual({ count: 0, sample: [] });
      expect(await matchingSample(db.ds, rule('偶数'), 0)).toEqual({ count: 13, sample: [] });
    });
  });
});
