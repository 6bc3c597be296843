import { createHash, randomBytes } from 'crypto';

/**
 * API keys look like `sy_<8-char prefix>_<43-char secret>`. Only SHA-256 of the whole key is stored: the secret
 * has 256 bits of entropy, so a slow password hash buys nothing and would cost every request. The prefix is kept
 * in clear so operators can tell keys apart in `api-key list`.
 */
export interface NewApiKey {
  key: string;
  prefix: string;
  hash: string;
}

export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(6).toString('base64url').slice(0, 8);
  const key = `sy_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function looksLikeApiKey(key: string): boolean {
  return /^sy_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/.test(key);
}
