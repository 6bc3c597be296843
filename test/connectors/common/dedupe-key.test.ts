import { contentDedupeKey, dedupeKey, MAX_DEDUPE_KEY_LENGTH } from '../../../connectors/common/dedupe-key';

describe('dedupeKey', () => {
  it('escapes separators so different part lists never collide', () => {
    expect(dedupeKey(['oa', 'wx1', 'event'], ['a:b', 'c'])).not.toBe(dedupeKey(['oa', 'wx1', 'event'], ['a', 'b:c']));
    expect(dedupeKey(['oa', 'wx1', 'msg'], ['123'])).toBe('oa:wx1:msg:123');
    expect(dedupeKey(['p'], ['x%3Ay'])).not.toBe(dedupeKey(['p'], ['x:y']));
  });

  it('hashes long tails and stays within the column length', () => {
    const url = 'https://example.com/' + 'a'.repeat(500);
    const k = dedupeKey(['oa', 'wx1', 'event'], ['o1', '1', 'VIEW', url]);
    expect(k.length).toBeLessThanOrEqual(MAX_DEDUPE_KEY_LENGTH);
    expect(k.startsWith('oa:wx1:event:sha256:')).toBe(true);
    expect(dedupeKey(['oa', 'wx1', 'event'], ['o1', '1', 'VIEW', url + 'b'])).not.toBe(k);
    expect(contentDedupeKey(['wecom', 'ww1', 'event'], 'x')).toMatch(/^wecom:ww1:event:raw:[0-9a-f]{64}$/);
  });
});
