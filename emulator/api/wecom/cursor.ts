import { hash32 } from '../../core/hash';
import { WxError } from '../../core/wx-error';

/**
 * Opaque paging cursors for WeCom (externalcontact/get follow_user, batch/get_by_user): a few integers and a
 * checksum, base64url-encoded, so a tampered or foreign cursor is refused with 50100 as WeChat does.
 */
export function encodeCursor(key: number, parts: number[]): string {
  const words = [...parts, hash32(key, ...parts)];
  const buf = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => buf.writeUInt32BE((w ^ mask(key, i, words.length)) >>> 0, i * 4));
  return buf.toString('base64url');
}

export function decodeCursor(key: number, cursor: unknown, size: number): number[] {
  if (typeof cursor !== 'string') throw new WxError(50100);
  const buf = Buffer.from(cursor, 'base64url');
  if (buf.length !== (size + 1) * 4 || buf.toString('base64url') !== cursor) throw new WxError(50100);
  const words = Array.from({ length: size + 1 }, (_, i) => (buf.readUInt32BE(i * 4) ^ mask(key, i, size + 1)) >>> 0);
  const parts = words.slice(0, size);
  if (words[size] !== hash32(key, ...parts)) throw new WxError(50100);
  return parts;
}

/** Masks each word so cursors look as opaque as WeChat's (the checksum, not the mask, is what protects them). */
function mask(key: number, i: number, n: number): number {
  return hash32(key, i, n, 0x5a5a);
}

/** Index of the first relation with seq > `seq` in a seq-ordered list (binary search). */
export function firstAfter(list: { seq: number }[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
