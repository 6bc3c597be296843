import type { EnqueueCounts } from '../tags/outbox/outbox-writer';
import type { PushStats } from '../tags/outbox/push-outcome';

/** What `siyu push-tags` reports, as text or (`--json`) as this object. */
export interface PushTagsReport {
  queued?: EnqueueCounts;
  pushed: PushStats;
  durationMs: number;
  outbox: Record<string, number>;
  nextAttemptAt: string | null;
}

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** A few lines a person reads at a glance: what was sent, what failed for good, what is still waiting and until when. */
export function formatPushTagsReport(r: PushTagsReport): string {
  const lines: string[] = [];
  if (r.queued) {
    lines.push(
      `Sweep queued ${plural(r.queued.oaAdds, 'OA tagging')}, ${plural(r.queued.oaRemoves, 'OA untagging')} and ${plural(r.queued.wecomRelations, 'WeCom relation')}.`,
    );
  }
  const p = r.pushed;
  lines.push(
    `Pushed in ${(r.durationMs / 1000).toFixed(1)} s: ${plural(p.itemsPushed, 'tag assignment')} now in WeChat, ${plural(p.calls, 'WeChat call')}, ${plural(p.rowsDone, 'outbox row')} done${p.rowsSkipped ? ` (${p.rowsSkipped.toLocaleString('en-US')} already as desired)` : ''}.`,
  );
  if (p.retries || p.deferred)
    lines.push(
      `Waiting: ${plural(p.retries, 'row')} to retry after a temporary failure, ${plural(p.deferred, 'row')} held back by a rate limit.`,
    );
  if (p.rowsDead)
    lines.push(`Failed for good: ${plural(p.rowsDead, 'row')} (see GET /api/v1/outbox?status=dead for the errcodes).`);
  const o = r.outbox;
  lines.push(
    `Outbox now: ${(o.pending ?? 0).toLocaleString('en-US')} pending, ${(o.in_flight ?? 0).toLocaleString('en-US')} in flight, ${(o.done ?? 0).toLocaleString('en-US')} done, ${(o.dead ?? 0).toLocaleString('en-US')} dead` +
      `${r.nextAttemptAt ? `; next attempt at ${r.nextAttemptAt}` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
