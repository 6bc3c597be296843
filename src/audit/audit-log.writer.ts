import type { DataSource, EntityManager } from 'typeorm';
import { AuditLogEntity } from '../storage';

export interface AuditEntry {
  actor: string;
  role?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown> | null;
}

/** Appends to `audit_log`; pass the transaction's manager so the entry commits with the change it records. */
export class AuditLogWriter {
  constructor(private readonly ds: DataSource) {}

  async write(entry: AuditEntry, manager: EntityManager = this.ds.manager): Promise<void> {
    const repo = manager.getRepository(AuditLogEntity);
    await repo.save(
      repo.create({
      actor: entry.actor,
      role: entry.role ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ?? null,
      }),
    );
  }
}
