import type { SyncProgress } from './syncs-api.types';
import type { SyncRunRecord } from '../storage/syncs/sync-run.repository';

export function progressOf(r: SyncRunRecord, now: Date): SyncProgress {
  const end = r.finishedAt ?? (r.status === 'running' ? now : (r.heartbeatAt ?? now));
  const seconds = Math.max(0.001, (end.getTime() - r.startedAt.getTime()) / 1000);
  const percent =
    r.total === null ? null : r.total === 0 ? 100 : Math.min(100, Math.round((r.processed / r.total) * 1000) / 10);
  return {
    id: r.id,
    accountId: r.account,
    resource: r.resource,
    status: r.status,
    processed: r.processed,
    total: r.total,
    percent,
    rate: Math.round((r.processed / seconds) * 10) / 10,
    created: r.created,
    updated: r.updated,
    error: r.error,
    triggeredBy: r.triggeredBy,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}
