import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { LessThan, type FindOptionsWhere } from 'typeorm';
import { AuditLogEntity, type AuditLogRow } from '../entities/audit-log.entity';
import type { Db } from '../sql';

export type AuditLogEntry = Omit<AuditLogRow, 'id' | 'createdAt'>;

/** Pass the transaction's manager as `db` so the entry commits with the change it records. */
export async function appendAuditLog(db: Db, entry: AuditLogEntry): Promise<void> {
  // An INSERT alone: save() would read the generated id and time back, a statement nobody uses.
  await db
    .createQueryBuilder()
    .insert()
    .into(AuditLogEntity)
    .values(entry as QueryDeepPartialEntity<AuditLogRow>)
    .updateEntity(false)
    .execute();
}

export interface AuditLogFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  /** Only entries older than this id (the previous page's last id). */
  beforeId?: string;
}

/** Newest first, at most `take` entries matching every given field. */
export function pageAuditLog(db: Db, filter: AuditLogFilter, take: number): Promise<AuditLogRow[]> {
  const where: FindOptionsWhere<AuditLogRow> = {};
  for (const k of ['actor', 'action', 'targetType', 'targetId'] as const) {
    const v = filter[k];
    if (v) where[k] = v;
  }
  if (filter.beforeId) where.id = LessThan(filter.beforeId);
  return db.getRepository(AuditLogEntity).find({ where, order: { id: 'DESC' }, take });
}
