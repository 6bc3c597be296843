import type { AppContext } from '../app-context';
import type { Worker } from '../background';
import { isRetryableDbError, retryingTransaction } from '../storage/conflict-retry';
import type { IdentityService } from '../identity/identity.service';
import { newInstanceId } from '../instance-id';
import type { Services } from '../services';
import type { NormalizedEvent } from '../../connectors/common/normalized-event';
import { EventApplier, type InboxRow } from './event-applier';
import { InboxRepository, inboxParallelBatches } from '../storage/inbox/inbox.repository';
import { inboxSignal } from './inbox-signal';
import { InboxBatch } from './inbox-batch';
import { SerialBatches } from '../workers/serial-batches';
import { RoundFailures } from '../workers/round-failures';

export interface InboxProcessorOptions {
  batchSize: number;
  /** Batch size while callbacks arrive and the backlog is within maxLagMs (short transactions and lock holds). */
  busyBatchSize: number;
  /**
   * While callbacks are arriving the processor rests this many times as long as its last batch took, so acks
   * keep the CPU (an ack within 5 s is what WeChat needs; processing is asynchronous by design, DESIGN §6) and
   * the backlog is worked off as soon as the burst is over. 19 = at most a twentieth of the time: never zero, so
   * the backlog still moves during a long burst, and small enough that accepting callbacks keeps the CPU.
   */
  busyRestFactor: number;
  /**
   * The rest factor while at least `crowdedInFlight` callbacks are being handled at once (the gateway is the
   * bottleneck and callbacks queue for their acks). Processing a row costs more gateway CPU than accepting one
   * and, on SQLite, a batch holds the one connection, so every waiting callback's commit stalls behind it: acks
   * come first while the gateway is crowded (DESIGN §6: a callback is acknowledged once stored). 99 = at most a
   * hundredth of the time; a steady stream that never crowds the gateway keeps the prompter busyRestFactor.
   */
  crowdedRestFactor: number;
  crowdedInFlight: number;
  /**
   * Once the oldest row of a batch waited this long, the processor stops stepping back: a callback's customer and
   * timeline row are visible within 2 s of its ack (DESIGN §9), so resting for acks ends well before that,
   * leaving room for a batch's own time and the rows that queued behind it.
   */
  maxLagMs: number;
  /** Poll interval when idle and not woken (other instances' rows, due retries). */
  pollMs: number;
  /** A claimed row not finished within this is taken back (its processor crashed). */
  leaseMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_PROCESSOR_OPTIONS: InboxProcessorOptions = {
  batchSize: 100,
  busyBatchSize: 25,
  busyRestFactor: 19,
  crowdedRestFactor: 99,
  crowdedInFlight: 4,
  maxLagMs: 500,
  pollMs: 1000,
  leaseMs: 120_000,
  maxAttempts: 8,
  backoffBaseMs: 5_000,
  backoffMaxMs: 3_600_000,
};

/** How often a burst rest checks whether the burst is over. */
const REST_SLICE_MS = 100;

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Exponential backoff with jitter: base·2^(n−1), capped, then 50–100 % of it. */
export function backoffMs(attempt: number, o: Pick<InboxProcessorOptions, 'backoffBaseMs' | 'backoffMaxMs'>): number {
  const ms = Math.min(o.backoffMaxMs, o.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ms * (0.5 + Math.random() / 2));
}

/**
 * Drains the inbox (DESIGN §6): claims due rows in batches, applies each row's events and marks it done in one
 * transaction, retries failures with backoff until `maxAttempts` and then marks them failed with the error,
 * and takes back rows whose claimer died. Woken at once by the local intake after each commit; polls otherwise.
 * `stop()` lets the current batch finish.
 */
export class InboxProcessor implements Worker {
  readonly name = 'inbox-processor';
  readonly workerId: string;
  private readonly repo: InboxRepository<NormalizedEvent>;
  private readonly applier: EventApplier;
  private readonly opts: InboxProcessorOptions;
  private stopping = false;
  private woken = false;
  private wake: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private readonly batches = new SerialBatches(() => this.batch());
  private lastReclaim = Number.NEGATIVE_INFINITY;
  private readonly failures: RoundFailures;
  /** How long the oldest row of the last batch had waited. */
  private lagMs = 0;
  /** Rests taken while callbacks were arriving: lets tests wait for the processor to step back, not for a duration. */
  readonly stats = { rests: 0 };
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly app: Pick<AppContext, 'ds' | 'config' | 'logger' | 'now'> & {
      identity: IdentityService;
      instanceId?: string;
    },
    opts: Partial<InboxProcessorOptions> = {},
  ) {
    this.workerId = app.instanceId ?? newInstanceId();
    this.opts = { ...DEFAULT_PROCESSOR_OPTIONS, ...opts };
    this.repo = new InboxRepository<NormalizedEvent>(app.ds, { claim: app.config.database.claim });
    this.applier = new EventApplier(app.identity, app.config, app.ds);
    this.failures = new RoundFailures(app.logger, 'inbox processor');
  }

  start(): this {
    this.unsubscribe = inboxSignal(this.app.ds).subscribe(() => this.poke());
    this.loopDone = this.loop();
    return this;
  }

  /** One batch: take back expired claims, claim, process. Serialised with the loop. Returns rows processed. */
  drainOnce(): Promise<number> {
    return this.batches.once();
  }

  /** Batches until nothing is due (tests, `siyu` commands). */
  async drain(): Promise<number> {
    return this.batches.all();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.poke();
    await this.loopDone;
    await this.batches.settled();
  }

  private poke(): void {
    this.woken = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    const signal = inboxSignal(this.app.ds);
    while (!this.stopping) {
      let n = 0;
      const started = performance.now();
      try {
        n = await this.drainOnce();
        this.failures.succeeded();
      } catch (err) {
        // A claim that lost conflicts or a node that is away: the rows stay claimable, nothing is lost.
        this.failures.failed(err);
      }
      if (this.stopping) break;
      if (n === 0) await this.idle();
      else if (signal.busy() && this.lagMs < this.opts.maxLagMs) await this.restWhileBusy(performance.now() - started);
    }
  }

  /**
   * Rests `busyRestFactor` × the batch (`crowdedRestFactor` × while the gateway is crowded), in short slices,
   * only for as long as that lasts: one slow batch on a loaded machine must not leave the backlog untouched
   * for seconds after the last callback, nor a crowd's long rest outlast the crowd.
   */
  private async restWhileBusy(batchMs: number): Promise<void> {
    const signal = inboxSignal(this.app.ds);
    this.stats.rests += 1;
    const start = performance.now();
    const busyUntil = start + Math.max(10, batchMs * this.opts.busyRestFactor);
    const crowdedUntil = start + Math.max(10, batchMs * this.opts.crowdedRestFactor);
    while (!this.stopping && signal.busy()) {
      const until = signal.crowded(this.opts.crowdedInFlight) ? Math.max(busyUntil, crowdedUntil) : busyUntil;
      const left = until - performance.now();
      if (left <= 0) return;
      await this.idle(Math.min(left, REST_SLICE_MS), false);
    }
  }

  /** Waits `ms`, or until the intake pokes (when `wakeable`) or stop() is called. */
  private idle(ms = this.opts.pollMs, wakeable = true): Promise<void> {
    if (wakeable && this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      // Unref'd: the idle poll alone never keeps a process alive (the HTTP server does that in production).
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = () => {
        if (!wakeable && !this.stopping) return;
        this.woken = false;
        done();
      };
    });
  }

  private async batch(): Promise<number> {
    const now = new Date(this.app.now());
    if (now.getTime() - this.lastReclaim >= Math.min(5_000, this.opts.leaseMs)) {
      this.lastReclaim = now.getTime();
      const reclaimed = await this.repo.reclaimExpired(now, this.opts.maxAttempts);
      if (reclaimed > 0) this.app.logger.warn({ reclaimed }, 'took back inbox rows whose processing lease expired');
    }
    // Short batches keep lock holds short while callbacks arrive; once rows wait past maxLagMs the processor is
    // behind, and full batches cost the least per row (one identity read, one timeline write per batch).
    const short = inboxSignal(this.app.ds).busy() && this.lagMs < this.opts.maxLagMs;
    const size = short ? this.opts.busyBatchSize : this.opts.batchSize;
    const rows = await this.repo.claim(this.workerId, size, now, new Date(now.getTime() + this.opts.leaseMs));
    this.lagMs = rows[0] ? now.getTime() - rows[0].receivedAt.getTime() : 0;
    if (rows.length > 0) await this.process(rows);
    return rows.length;
  }

  /**
   * The whole batch in one transaction (one commit, one fsync on SQLite) with no per-row savepoints, and every
   * row marked done by one statement at its end. The identities the rows name are read and locked at its start
   * in one statement, and timeline entries, re-read hints and tag pushes are written once at its end
   * (InboxBatch), so a row of a known person costs few statements of its own. If any row fails,
   * or the batch keeps losing races (duplicate key, deadlock), the batch is rolled back and its rows go one
   * transaction each, so a failing row is retried later alone and the others commit (DESIGN §6).
   */
  private async process(rows: InboxRow[]): Promise<void> {
    try {
      await retryingTransaction(this.app.ds, async (em) => {
        const at = new Date(this.app.now());
        const batch = new InboxBatch(em, at);
        await this.applier.prefetch(batch, rows);
        for (const row of rows) {
          // SQLite runs synchronously: without a turn of the event loop between rows a batch would hold every
          // callback in flight until it ends.
          await yieldToIo();
          await this.applier.applyRow(em, row, at, batch);
        }
        await batch.flush();
        await this.repo.markDone(
          em,
          rows.map((r) => r.id),
          at,
        );
      });
      return;
    } catch (err) {
      if (rows.length === 1 && !isRetryableDbError(err)) return this.fail(rows[0]!, err);
    }
    for (const row of rows) {
      try {
        await retryingTransaction(this.app.ds, async (em) => {
          const at = new Date(this.app.now());
          await this.applier.applyRow(em, row, at);
          await this.repo.markDone(em, [row.id], at);
        });
      } catch (err) {
        await this.fail(row, err);
      }
    }
  }

  private async fail(row: InboxRow, err: unknown): Promise<void> {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const giveUp = row.attempts >= this.opts.maxAttempts;
    const retryAt = giveUp ? null : new Date(this.app.now() + backoffMs(row.attempts, this.opts));
    this.app.logger.warn({ inboxId: row.id, kind: row.kind, attempts: row.attempts, giveUp, err }, 'inbox row failed');
    await this.repo.markFailure(row.id, message, retryAt);
  }
}

/**
 * The background worker factory (src/background.ts): every instance drains; claims keep them apart, and storage
 * says how many batches one instance runs at once on this database.
 */
export function inboxProcessorWorker(app: Services): Worker {
  const n = inboxParallelBatches(app.ds);
  const processors = Array.from({ length: n }, (_, i) =>
    new InboxProcessor({ ...app, instanceId: n === 1 ? app.instanceId : `${app.instanceId}#${i}` }).start(),
  );
  return {
    name: 'inbox-processor',
    stop: async () => {
      await Promise.all(processors.map((p) => p.stop()));
    },
  };
}
