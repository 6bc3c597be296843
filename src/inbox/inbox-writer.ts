import type { Channel, NormalizedEvent } from '../../connectors/common/normalized-event';

/** One accepted callback as the intake hands it to the inbox. */
export interface InboxEntry {
  /** appId / corpId / mchId. */
  account: string;
  channel: Channel;
  kind: string;
  dedupeKey: string;
  raw: string;
  events: NormalizedEvent[];
}

export interface InboxWriter {
  /** Resolves once the row is committed (or was already there: a WeChat retry); rejects if it cannot be. */
  write(entry: InboxEntry): Promise<void>;
}

export interface GroupCommitOptions {
  /** Rows per INSERT. */
  maxBatch: number;
  /** Payload bytes per INSERT (stays well under MySQL's max_allowed_packet). */
  maxBatchBytes: number;
  /** Concurrent INSERTs (1 on SQLite: one writer; a few on MySQL: the pool). */
  maxInFlight: number;
  /** Called after every commit: wakes the inbox processor. */
  onCommit?: () => void;
}

interface Pending {
  entry: InboxEntry;
  bytes: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for the callback hot path: requests that arrive while an INSERT is in flight are written together
 * by the next one, so under load one commit (one fsync) acknowledges many callbacks, and an idle gateway still
 * writes a lone callback at once. Each caller is resolved only after the commit that holds its row, so the
 * ack-after-commit rule (DESIGN §6) holds. A failed batch is retried row by row so one bad row cannot fail the
 * others' callbacks.
 */
export class GroupCommitInboxWriter implements InboxWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly insertMany: (rows: InboxEntry[]) => Promise<void>,
    private readonly opts: GroupCommitOptions,
  ) {}

  write(entry: InboxEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, bytes: entry.raw.length + entry.dedupeKey.length + 256, resolve, reject });
      if (!this.scheduled && this.inFlight < this.opts.maxInFlight) {
        // One tick lets the requests parsed in the same I/O phase join this batch.
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Rows queued or being written. */
  get backlog(): number {
    return this.queue.length + this.inFlight;
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.opts.maxInFlight) {
      const batch = this.take();
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private take(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length && n < this.opts.maxBatch) {
      const next = this.queue[n]!;
      if (n > 0 && bytes + next.bytes > this.opts.maxBatchBytes) break;
      bytes += next.bytes;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      await this.insertMany(batch.map((p) => p.entry));
      for (const p of batch) p.resolve();
      this.opts.onCommit?.();
      return;
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
    }
    let committed = false;
    for (const p of batch) {
      try {
        await this.insertMany([p.entry]);
        committed = true;
        p.resolve();
      } catch (err) {
        p.reject(err);
      }
    }
    if (committed) this.opts.onCommit?.();
  }
}
