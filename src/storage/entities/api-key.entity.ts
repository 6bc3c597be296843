import { EntitySchema } from 'typeorm';
import { col } from './columns';

export type ApiKeyRole = 'admin' | 'operator' | 'viewer' | 'ingest';

/** An admin API key (DESIGN §7): only the hash is stored; `prefix` identifies the key in listings. */
export interface ApiKeyRow {
  id: string;
  name: string;
  role: ApiKeyRole;
  keyHash: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export const ApiKeyEntity = new EntitySchema<ApiKeyRow>({
  name: 'ApiKey',
  tableName: 'api_keys',
  columns: {
    id: col.id(),
    name: col.str('name', 128),
    role: col.key('role', 16),
    keyHash: col.key('key_hash', 64),
    prefix: col.key('prefix', 16),
    createdAt: col.createdAt(),
    lastUsedAt: col.time('last_used_at', true),
    revokedAt: col.time('revoked_at', true),
  },
  uniques: [{ name: 'uq_api_keys_key_hash', columns: ['keyHash'] }],
  indices: [{ name: 'idx_api_keys_name', columns: ['name'] }],
});
