import { createHash, randomBytes, randomInt } from 'crypto';

/** Random numeric nonce like the ones WeChat puts in callback query strings (e.g. `1514711492`). */
export function numericNonce(): string {
  return String(randomInt(100_000_000, 2_147_483_647));
}

/**
 * A 64-bit message id. Real MsgIds are 19–20 digit integers (wechat-api.md §11.3 `4363689963896700987`), above
 * 2^53, so connectors must not parse them as JS numbers; the emulator always produces such values.
 */
export function messageId(): bigint {
  const hi = BigInt(randomInt(0x20000000, 0x7fffffff));
  const lo = BigInt(randomBytes(4).readUInt32BE(0));
  return (hi << 32n) | lo;
}

/** Template-send msgid (`MsgID` in TEMPLATESENDJOBFINISH): a 10-digit integer in the docs' examples. */
export function templateMsgId(): number {
  return randomInt(1_000_000_000, 2_147_483_647);
}

/** The original id `gh_…` used as ToUserName when a target does not name one: stable per appid. */
export function originalIdFor(appId: string): string {
  return `gh_${createHash('sha1').update(appId).digest('hex').slice(0, 12)}`;
}

/** Encrypted-echostr plaintext for WeCom URL verification: a 19-digit number like the doc's `5927782489442352469`. */
export function echoString(): string {
  return messageId().toString();
}
