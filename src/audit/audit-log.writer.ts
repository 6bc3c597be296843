import { appendAuditLog } from '../storage/audit/audit-log.repository';
import type { Db } from '../storage/sql';

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
  constructor(private readonly db: Db) {}

  async write(entry: AuditEntry, manager: Db = this.db): Promise<void> {
    await appendAuditLog(manager, {
      actor: entry.actor,
      role: entry.role ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ?? null,
    });
  }
}
