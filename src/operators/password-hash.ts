import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'crypto';

/**
 * Local account passwords (DESIGN §7.1): node's scrypt with a per-account 16-byte salt, stored as
 * `scrypt$<N>$<salt>$<hash>` (base64url) so the cost can rise later without breaking stored hashes. N = 2^15,
 * r = 8 is OWASP's scrypt minimum; maxmem must allow its 32 MiB.
 */
const N = 1 << 15;
const KEY_BYTES = 32;
const options = (n: number): ScryptOptions => ({ N: n, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });

function derive(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options(n), (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N);
  return `scrypt$${N}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `password` matches `stored`; a missing or malformed hash costs one derivation too and answers false. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const m = stored ? /^scrypt\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored) : null;
  const n = m ? Number(m[1]) : N;
  if (!m || !Number.isInteger(Math.log2(n)) || n > 1 << 20) {
    await derive(password, DUMMY_SALT, N);
    return false;
  }
  const expected = Buffer.from(m[3]!, 'base64url');
  const key = await derive(password, Buffer.from(m[2]!, 'base64url'), n);
  return expected.length === key.length && timingSafeEqual(expected, key);
}

/** For unknown logins: the same work as a real check, so timing does not tell which logins exist. */
const DUMMY_SALT = randomBytes(16);
