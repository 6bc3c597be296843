import type { ApiKeyRow, Db } from '../storage';
import {
  findActiveKeyByHash,
  findActiveKeysByIdOrName,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  stampKeyUsed,
} from '../storage/auth/api-key.repository';
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
 * every instance — by the unique key_hash index (DESIGN §9: it runs before every API request).
 */
export class ApiKeyService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the plaintext key exactly once; only its hash is stored. */
  async create(name: string, role: Role): Promise<{ key: string; info: ApiKeyInfo }> {
    if (!name.trim() || name.length > 128) throw new RangeError('name must be 1..128 characters');
    if (!isRole(role)) throw new RangeError('role must be admin, operator, viewer or ingest');
    const k = generateApiKey();
    const row = await insertApiKey(this.db, { name: name.trim(), role, keyHash: k.hash, prefix: k.prefix });
    return { key: k.key, info: toInfo(row) };
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    if (!looksLikeApiKey(key)) return undefined;
    const row = await findActiveKeyByHash(this.db, hashApiKey(key));
    if (!row || !isRole(row.role)) return undefined;
    const now = this.now();
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      // Coarse last-used stamp: at most one write per key per minute, not one per request.
      await stampKeyUsed(this.db, row.id, new Date(now));
    }
    return { kind: 'key', id: row.id, name: row.name, role: row.role, actor: row.name, viaCookie: false };
  }

  async list(): Promise<ApiKeyInfo[]> {
    return (await listApiKeys(this.db)).map(toInfo);
  }

  /** Revokes by id or by name (all active keys of that name). Returns how many were revoked. */
  async revoke(idOrName: string): Promise<number> {
    const active = await findActiveKeysByIdOrName(this.db, idOrName);
    for (const row of active) await revokeApiKey(this.db, row.id, new Date(this.now()));
    return active.length;
  }
}

function toInfo(r: ApiKeyRow): ApiKeyInfo {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    prefix: r.prefix,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
  };
}
