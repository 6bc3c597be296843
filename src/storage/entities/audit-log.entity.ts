import { EntitySchema } from 'typeorm';
import { col } from './columns';

/** Who did what (DESIGN §7): `actor` is the API key name or the staff userid. */
export interface AuditLogRow {
  id: string;
  actor: string;
  role: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  createdAt: Date;
}

export const AuditLogEntity = new EntitySchema<AuditLogRow>({
  name: 'AuditLog',
  tableName: 'audit_log',
  columns: {
    id: col.id(),
    actor: col.str('actor', 128),
    role: col.key('role', 16, { nullable: true }),
    action: col.key('action', 64),
    targetType: col.key('target_type', 32, { nullable: true }),
    targetId: col.key('target_id', 64, { nullable: true }),
    details: col.json('details', true),
    createdAt: col.createdAt(),
  },
  indices: [
    { name: 'idx_audit_log_created_at', columns: ['createdAt'] },
    { name: 'idx_audit_log_target', columns: ['targetType', 'targetId'] },
  ],
});
