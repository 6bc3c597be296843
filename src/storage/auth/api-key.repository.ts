import { IsNull } from 'typeorm';
import { ApiKeyEntity, type ApiKeyRow } from '../entities/api-key.entity';
import { readRows } from '../driver/pool-statements';
import { type Db, execute, fromDbTime, idString } from '../sql';

/** What the per-request key check needs of an active key. */
export type ActiveKey = Pick<ApiKeyRow, 'id' | 'name' | 'lastUsedAt'> & { role: string };

export async function insertApiKey(
  db: Db,
  key: Pick<ApiKeyRow, 'name' | 'role' | 'keyHash' | 'prefix'>,
): Promise<ApiKeyRow> {
  const repo = db.getRepository(ApiKeyEntity);
  return repo.save(repo.create({ ...key, lastUsedAt: null, revokedAt: null }));
}

/**
 * The active key with this hash. It runs before every API request (DESIGN §9), so it is one raw SELECT on the
 * unique key_hash index, on the pool's prepared-statement path.
 */
export async function findActiveKeyByHash(db: Db, keyHash: string): Promise<ActiveKey | undefined> {
  const [row] = await readRows<{ id: unknown; name: string; role: string; last_used_at: unknown }>(
    db,
    'SELECT id, name, role, last_used_at FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL',
    [keyHash],
  );
  return row && { id: idString(row.id), name: row.name, role: row.role, lastUsedAt: fromDbTime(row.last_used_at) };
}

export async function stampKeyUsed(db: Db, id: string, at: Date): Promise<void> {
  await execute(db, 'UPDATE api_keys SET last_used_at = ? WHERE id = ?', [at, id]);
}

export function listApiKeys(db: Db): Promise<ApiKeyRow[]> {
  return db.getRepository(ApiKeyEntity).find({ order: { id: 'ASC' } });
}

/** Active keys of this name, and the active key with this id when `idOrName` is numeric. */
export function findActiveKeysByIdOrName(db: Db, idOrName: string): Promise<ApiKeyRow[]> {
  const byId = /^\d+$/.test(idOrName) ? [{ id: idOrName, revokedAt: IsNull() }] : [];
  return db.getRepository(ApiKeyEntity).find({ where: [{ name: idOrName, revokedAt: IsNull() }, ...byId] });
}

export async function revokeApiKey(db: Db, id: string, at: Date): Promise<void> {
  await db.getRepository(ApiKeyEntity).update({ id }, { revokedAt: at });
}
