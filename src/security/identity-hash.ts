import { createHmac, hkdfSync } from 'crypto';
import type { IdentityRef } from '../../connectors/common/identity-types';

/**
 * Keyed hash of one identity (`type|scope|value`, phone already as its keyed hash) for erasure tombstones
 * (DESIGN §7): after a person is erased, only these 64-hex-char hashes remain, and a replayed callback
 * carrying any of their identities is dropped. Keyed with a sub-key of `security.dataKey` so the table alone
 * cannot be used to confirm a guessed openid or phone.
 */
export class IdentityHasher {
  private readonly key: Buffer;

  constructor(dataKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'siyu/identity/tombstone', 32));
  }

  hash(ref: IdentityRef): string {
    return createHmac('sha256', this.key).update(`${ref.type}|${ref.scope}|${ref.value}`, 'utf8').digest('hex');
  }
}
