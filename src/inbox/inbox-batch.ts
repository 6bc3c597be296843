import type { EntityManager } from '../storage';
import { IdentityCache } from '../identity/identity-cache';
import { type TimelineEntry, writeTimelines } from '../events/timeline.writer';
import type { SubscriptionTimes } from '../storage/events/oa-subscription.repository';
import type { FollowTimes } from '../storage/events/wecom-follow.repository';

/**
 * Writes the applier and its hooks collect over a batch and make once at its end, in the batch's transaction:
 * a row's timeline entry, re-read hint or tag push costs a share of one statement instead of one of its own.
 * Only writes that nothing later in the batch reads may wait (DESIGN §6: the batch commits or rolls back whole).
 */
export interface DeferredWork<T> {
  name: string;
  flush(em: EntityManager, items: T[], now: Date): Promise<void>;
}

/** Timeline entries are only written, never read back, while a batch is applied. */
const timelineWork: DeferredWork<TimelineEntry> = {
  name: 'timeline',
  flush: (em, entries) => writeTimelines(em, entries),
};

/**
 * One claimed batch inside its transaction: the identities, subscriptions and relations its rows name, read and
 * locked at once (see IdentityCache), and the deferred writes. `flush()` runs before the rows are marked done,
 * before a merge moves rows a deferred write would belong to, and before privacy events, which delete what a
 * person left.
 */
export class InboxBatch {
  readonly identities = new IdentityCache();
  /** The OA subscriptions and WeCom relations the rows change, read with their locks at the batch's start. */
  readonly subscriptions = new Map<string, SubscriptionTimes | null>();
  readonly follows = new Map<string, FollowTimes | null>();
  private readonly pending = new Map<DeferredWork<never>, unknown[]>();

  constructor(
    readonly em: EntityManager,
    readonly now: Date,
  ) {
    this.identities.beforeMerge = () => this.flush();
  }

  /** Forgets every row read at the start: the next use of each reads it again. */
  forgetReads(): void {
    this.identities.clear();
    this.subscriptions.clear();
    this.follows.clear();
  }

  defer<T>(work: DeferredWork<T>, item: T): void {
    const key = work as DeferredWork<never>;
    const items = this.pending.get(key);
    if (items) items.push(item);
    else this.pending.set(key, [item]);
  }

  /**
   * A timeline entry, written with the batch's others in one statement. Entries keep the order they were given
   * in (a callback's events share a time, and the timeline breaks such ties by id): writers that write the
   * timeline themselves run after a flush (EventApplier.applyRow).
   */
  timeline(entry: TimelineEntry): void {
    this.defer(timelineWork, entry);
  }

  /** Writes everything deferred so far, in the order each kind of work was first deferred. */
  async flush(): Promise<void> {
    for (const [work, items] of [...this.pending]) {
      this.pending.delete(work);
      await (work as DeferredWork<unknown>).flush(this.em, items, this.now);
    }
  }
}
