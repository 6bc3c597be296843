import { randomBytes } from 'crypto';

/**
 * `n` UUIDv7 customer ids (RFC 9562 §5.7, the layout of src/storage/ids.ts) from one random buffer: a sync
 * creating thousands of customers per batch spent a visible share of its CPU in one randomBytes call per id.
 */
export function uuidv7Batch(n: number, nowMs: number): string[] {
  const buf = randomBytes(16 * n);
  const out: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const b = buf.subarray(i * 16, i * 16 + 16);
    b.writeUIntBE(nowMs, 0, 6);
    b[6] = (b[6]! & 0x0f) | 0x70;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    out[i] = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return out;
}
