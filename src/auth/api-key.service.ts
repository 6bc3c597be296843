import { IsNull, type DataSource } from 'typeorm';
import { ApiKeyEntity, type ApiKeyRow } from '../storage';
import { readRows } from '../storage/pool-statements';
import { execute, fromDbTime, idString } from '../storage/sql';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-key-format';
import { isRole, type Role } from './roles';
import type { Principal } from './api-key.middleware';

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Hashed API keys with a role (DESIGN §7). Every request re-reads the key row — a revoked key stops at once on
 * every instance — as one raw SELECT on the unique key_hash index (DESIGN §9: it runs before every API request).
 */
export class ApiKeyService {
  constructor(
    private readonly ds: DataSource,
    private readonly now: () => number = Date.now,
  ) {}

  private get repo() {
    return this.ds.getRepository(ApiKeyEntity);
  }

  /** Returns the plaintext key exactly once; only its hash is stored. */
  async create(name: string, role: Role): Promise<{ key: string; info: ApiKeyInfo }> {
    if (!name.trim() || name.length > 128) throw new RangeError('name must be 1..128 characters');
    if (!isRole(role)) throw new RangeError('role must be admin, operator or viewer');
    const k = generateApiKey();
    const row = await this.repo.save(this.repo.create({ name: name.trim(), role, keyHash: k.hash, prefix: k.prefix, lastUsedAt: null, revokedAt: null }));
    return { key: k.key, info: toInfo(row) };
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    if (!looksLikeApiKey(key)) return undefined;
    const [row] = await readRows<{ id: unknown; name: string; role: string; last_used_at: unknown }>(
      this.ds,
      'SELECT id, name, role, last_used_at FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL',
      [hashApiKey(key)],
    );
    if (!row || !isRole(row.role)) return undefined;
    const id = idString(row.id);
    const now = this.now();
    const lastUsed = fromDbTime(row.last_used_at);
    if (!lastUsed || now - lastUsed.getTime() > LAST_USED_RESOLUTION_MS) {
      // Coarse last-used stamp: at most one write per key per minute, not one per request.
      await execute(this.ds, 'UPDATE api_keys SET last_used_at = ? WHERE id = ?', [new Date(now), id]);
    }
    return { keyId: id, name: row.name, role: row.role };
  }

  async list(): Promise<ApiKeyInfo[]> {
    return (await this.repo.find({ order: { id: 'ASC' } })).map(toInfo);
  }

  /** Revokes by id or by name (all active keys of that name). Returns how many were revoked. */
  async revoke(idOrName: string): Promise<number> {
    const active = await this.repo.find({ where: [{ name: idOrName, revokedAt: IsNull() }, ...(/^\d+$/.test(idOrName) ? [{ id: idOrName, revokedAt: IsNull() }] : [])] });
    for (const row of active) await this.repo.update({ id: row.id }, { revokedAt: new Date(this.now()) });
    return active.length;
  }
}

function toInfo(r: ApiKeyRow): ApiKeyInfo {
  return { id: r.id, name: r.name, role: r.role, prefix: r.prefix, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt };
}
