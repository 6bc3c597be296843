import { createHash, timingSafeEqual } from 'crypto';

/**
 * WeChat callback signatures (wechat-api.md §4.1, §4.5): SHA-1 over the lexicographically sorted parts,
 * concatenated with no separator, lowercase hex. The same routine gives the plain `signature`
 * ([token, timestamp, nonce]) and `msg_signature` ([token, timestamp, nonce, Encrypt]).
 * https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
 */
export function sha1Signature(...parts: string[]): string {
  const sorted = [...parts].sort();
  return createHash('sha1').update(sorted.join(''), 'utf8').digest('hex');
}

/** Constant-time comparison of two strings (false on length mismatch without leaking where they differ). */
export function safeEqual(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}
