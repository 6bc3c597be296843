import { AuditLogWriter } from '../../audit/audit-log.writer';
import { retryingTransaction } from '../../storage/conflict-retry';
import type { OutboxStatus } from '../../storage/entities';
import { tagConflict, tagNotFound } from '../tag-errors';
import type { Actor, TagsDeps } from '../tags-deps';
import { findOutbox, listOutbox, reviveDeadOutbox, setOutboxPayload } from '../../storage/tags/outbox.repository';
import { outboxSignal } from './outbox-signal';
import { isOaPayload, type OutboxItem } from './outbox-types';
import type { OutboxPage, OutboxView } from './outbox-api.types';
import { clearErrors } from '../../storage/tags/remote-tag-state.repository';

export function outboxView(i: OutboxItem): OutboxView {
  return {
    id: i.id,
    channel: i.channel,
    account: i.account,
    opKey: i.opKey,
    tagId: i.tagId,
    status: i.status,
    attempts: i.attempts,
    nextAttemptAt: i.nextAttemptAt.toISOString(),
    lastErrcode: i.lastErrcode,
    lastError: i.lastError,
    payload: i.payload,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

/** `GET /api/v1/outbox?status=` and `POST /api/v1/outbox/:id/retry` (DESIGN §8.3). */
export class OutboxAdminService {
  private readonly audit: AuditLogWriter;

  constructor(private readonly deps: TagsDeps) {
    this.audit = new AuditLogWriter(deps.ds);
  }

  async list(opts: {
    status?: OutboxStatus;
    channel?: string;
    tagId?: string;
    cursor?: string;
    limit: number;
  }): Promise<OutboxPage> {
    const rows = await listOutbox(this.deps.ds, { ...opts, before: opts.cursor, limit: opts.limit + 1 });
    const page = rows.slice(0, opts.limit);
    return { items: page.map(outboxView), nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null };
  }

  /**
   * Puts a dead row back to pending now, with fresh attempts, and forgets the refusals recorded for its subjects
   * so the pusher tries them again (after e.g. freeing a user's 20 tags or fixing a binding).
   */
  async retry(id: string, actor: Actor): Promise<OutboxView> {
    const item = await findOutbox(this.deps.ds, id);
    if (!item) throw tagNotFound(`outbox row ${id}`);
    if (item.status !== 'dead') throw tagConflict(`outbox row ${id} is ${item.status}; only dead rows can be retried`);
    await retryingTransaction(this.deps.ds, async (m) => {
      const now = new Date(this.deps.now());
      if (isOaPayload(item)) {
        const openids = item.payload.failed ?? item.payload.openids;
        await clearErrors(m, 'oa', item.account, openids, item.payload.remoteTagId);
        await setOutboxPayload(m, id, { op: item.payload.op, openids });
      } else {
        const p = item.payload as { userid: string; externalUserid: string };
        await clearErrors(m, 'wecom', item.account, [`${p.userid}|${p.externalUserid}`]);
      }
      await reviveDeadOutbox(m, id, now);
      await this.audit.write(
        {
          actor: actor.name,
          role: actor.role ?? null,
          action: 'outbox.retry',
          targetType: 'outbox',
          targetId: id,
          details: { opKey: item.opKey, lastErrcode: item.lastErrcode },
        },
        m,
      );
    });
    outboxSignal(this.deps.ds).notify();
    return outboxView((await findOutbox(this.deps.ds, id))!);
  }
}
