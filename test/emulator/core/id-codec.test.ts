import { IdCodec } from '../../../emulator/core/id-codec';
import { imul } from '../../../emulator/core/hash';

describe('IdCodec', () => {
  const a = new IdCodec('oAbCdE', 123, 22);
  const b = new IdCodec('oAbCdE', 456, 22);

  it('rejects ids of another key, other prefixes, lengths and characters', () => {
    const id = a.encode(42);
    expect(b.decode(id)).toBe(-1);
    expect(a.decode(`x${id.slice(1)}`)).toBe(-1);
    expect(a.decode(id.slice(0, -1))).toBe(-1);
    expect(a.decode(`${id.slice(0, -1)}!`)).toBe(-1);
    expect(a.decode(`${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`)).toBe(-1);
  });

  it('round-trips indices across the range and produces distinct 28-character ids', () => {
    const seen = new Set<string>();
    for (const i of [0, 1, 2, 999, 65_535, 1_000_000, 2 ** 31 - 1]) {
      const id = a.encode(i);
      expect(id).toHaveLength(28);
      expect(id).toMatch(/^oAbCdE[A-Za-z0-9_-]{22}$/);
      expect(a.decode(id)).toBe(i);
      seen.add(id);
    }
    for (let i = 0; i < 20_000; i++) seen.add(a.encode(i));
    expect(seen.size).toBe(20_000 + 3);
  });

  it('uses an imul equal to Math.imul', () => {
    for (const [x, y] of [
      [0, 0],
      [-1, -1],
      [0x7fffffff, 0x85ebca6b],
      [123456789, 987654321],
      [-5, 3],
    ] as const)
      expect(imul(x, y)).toBe(Math.imul(x, y));
  });
});
