import { geometric, seededRandom } from '../../../bench/segments/random';
import {
  customerId,
  eventCount,
  purchaseCount,
  WORLD_COLUMNS,
  worldBlock,
  type WorldShape,
} from '../../../bench/segments/world';

describe('segments bench world', () => {
  const shape: WorldShape = {
    customers: 20_000,
    now: Date.parse('2026-03-10T02:00:00.000Z'),
    tagIds: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  };

  it('draws the same rows for the same seed, block by block or at once', () => {
    const whole = worldBlock(shape, 0, 200);
    const parts = [worldBlock(shape, 0, 100), worldBlock(shape, 100, 200)];
    for (const t of Object.keys(WORLD_COLUMNS) as (keyof typeof WORLD_COLUMNS)[])
      expect(whole[t]).toEqual([...parts[0]![t], ...parts[1]![t]]);
    expect(worldBlock({ ...shape, seed: 2 }, 0, 200).transactions).not.toEqual(whole.transactions);
  });

  it('makes UUIDv7 customer ids that sort in creation order', () => {
    const ms = Date.parse('2026-03-10T02:00:00.000Z');
    expect(customerId(ms, 1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(customerId(ms, 1) < customerId(ms, 2)).toBe(true);
    expect(customerId(ms, 999_999) < customerId(ms + 1, 0)).toBe(true);
  });

  it('gives every row as many values as its table has columns', () => {
    const b = worldBlock(shape, 0, 500);
    for (const t of Object.keys(WORLD_COLUMNS) as (keyof typeof WORLD_COLUMNS)[])
      for (const row of b[t]) expect(row).toHaveLength(WORLD_COLUMNS[t].length);
  });

  it('scales 3× transactions, 5× events and 2× tag assignments per customer', () => {
    const b = worldBlock(shape, 0, shape.customers);
    expect(b.customers).toHaveLength(shape.customers);
    expect(b.transactions.length / shape.customers).toBeCloseTo(3, 1);
    expect(b.events.length / shape.customers).toBeCloseTo(5, 1);
    expect(b.customer_tags.length / shape.customers).toBeCloseTo(2, 1);
  });

  it('keeps purchases per customer within 0–20 with three in ten never buying', () => {
    const r = seededRandom(7);
    const counts = Array.from({ length: 50_000 }, () => purchaseCount(r));
    expect(Math.min(...counts)).toBe(0);
    expect(Math.max(...counts)).toBe(20);
    expect(counts.filter((n) => n === 0).length / counts.length).toBeCloseTo(0.3, 1);
    const events = Array.from({ length: 50_000 }, () => eventCount(r));
    expect(Math.max(...events)).toBeLessThanOrEqual(60);
  });

  it('spreads times over the windows the rules look at: purchases over two years, events over 180 days', () => {
    const b = worldBlock(shape, 0, 5_000);
    const days = (v: unknown) => (shape.now - Date.parse(`${String(v).replace(' ', 'T')}Z`)) / 86_400_000;
    const paid = b.transactions.map((t) => days(t[10]));
    expect(Math.min(...paid)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...paid)).toBeGreaterThan(700);
    expect(Math.max(...paid)).toBeLessThanOrEqual(730);
    const seen = b.events.map((e) => days(e[4]));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(180);
    expect(seen.filter((d) => d <= 30).length / seen.length).toBeCloseTo(30 / 180, 1);
  });

  it('has a geometric tail with the mean asked for', () => {
    const r = seededRandom(11);
    const xs = Array.from({ length: 100_000 }, () => geometric(r, 5, 1_000));
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(5, 0);
  });
});
