import type { NormalizedEvent } from '../../../connectors/common/normalized-event';
import type { AppContext } from '../../app-context';
import { enqueueRefresh, type RefreshHint } from '../../storage/syncs/refresh-queue.repository';

/** A group change through which someone joined: a group created with its members, or add_member. */
const joinHint = (e: NormalizedEvent): RefreshHint | undefined =>
  e.kind === 'group.changed' && (e.change === 'created' || e.members?.direction === 'joined')
    ? { kind: 'wecom_group_joiners', account: e.account, subject: e.chatId }
    : undefined;

/**
 * Joins into a customer group have their members' identities read as soon as the callback's inbox row is committed,
 * not when the inbox reaches the row: groupchat/get is the only place that gives a member's unionid, and only while
 * they are in the group. Read behind an inbox backlog, a member who joined and left meanwhile is known only by the
 * leave's bare external_userid — a customer apart from the rest of the person (DESIGN §4, §10.1). Identities only
 * (wecom-group-joiners.refresh.ts): the group's memberships and timeline stay with the re-read the inbox hook queues
 * in the row's own transaction, in callback order, so a leave keeps the QuitScene only its callback gives. Best
 * effort: a hint lost here costs only what the inbox's re-read would have lost anyway.
 */
export class EarlyGroupRereads {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: Pick<AppContext, 'ds' | 'logger' | 'now'>) {}

  /** Queues the re-reads of a committed callback's joins; never throws and never delays the ack. */
  offer(events: readonly NormalizedEvent[]): void {
    const hints = events.flatMap((e) => joinHint(e) ?? []);
    if (hints.length === 0) return;
    const p = enqueueRefresh(this.deps.ds, hints, new Date(this.deps.now()))
      .catch((err: unknown) =>
        this.deps.logger.warn({ err, chatId: hints[0]!.subject }, 'early group re-read not queued; the inbox will'),
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Resolves when every queueing started so far has finished (graceful stop, tests). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
