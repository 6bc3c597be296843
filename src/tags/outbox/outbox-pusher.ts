import { Semaphore } from '../../../connectors/common/http/semaphore';
import { newInstanceId } from '../../instance-id';
import type { Clients } from '../../tokens/clients';
import { RemoteBinder } from '../bindings/remote-binder';
import type { TagsDeps } from '../tags-deps';
import { pushOaAccount } from './oa-push';
import { claimDue } from '../../storage/tags/outbox-claim';
import { isOaPayload, isRemarkPayload, isWecomPayload, type OutboxItem } from './outbox-types';
import { pushRemarks } from './remark-push';
import type { PushContext } from './push-context';
import { PushOutcome, emptyStats, type PushStats } from './push-outcome';
import { classifyFailure } from './push-errors';
import { pushWecomAccount } from './wecom-push';

/**
 * How long claimed rows stay ours before another pusher may take them (crash recovery). Generous: a round of
 * 500 rows against a slow WeChat (10 s timeouts, 5 calls in flight per account) must finish well inside it, or
 * a second pusher would push the same rows again.
 */
const LEASE_MS = 10 * 60_000;

export interface OutboxPusherOptions {
  clients: Clients;
  /** Re-reads a corp's tag library after a push found a bound corp tag gone (wired to CorpTagLibrary by the worker). */
  onInvalidCorpTag?: (corpId: string) => Promise<void>;
  /** Rows claimed per round. */
  batchSize?: number;
  /** Calls in flight per account; the issue caps WeCom at 5 per corp. */
  concurrencyPerAccount?: number;
  leaseMs?: number;
  random?: () => number;
  /** Names this process on claimed rows (src/instance-id.ts). */
  owner?: string;
}

/**
 * Delivers the outbox (DESIGN §5, §6): claims due rows (disjoint across instances), pushes them grouped per
 * account with at most `concurrencyPerAccount` calls in flight per account, and writes each round's outcome
 * back in one transaction. The WeChat clients make one attempt per call (`Clients.singleAttempt`) so every retry is an
 * outbox retry (counted, backed off with jitter, capped) instead of a sleep inside a call.
 */
export class OutboxPusher {
  readonly stats: PushStats = emptyStats();
  readonly owner: string;
  private readonly limiters = new Map<string, Semaphore>();
  /** `channel:account` → ms (app clock) until which WeChat's rate limit blocks the account. */
  private readonly blocked = new Map<string, number>();
  private readonly binder: RemoteBinder;

  constructor(
    private readonly deps: TagsDeps,
    private readonly options: OutboxPusherOptions,
  ) {
    this.owner = options.owner ?? newInstanceId();
    this.binder = new RemoteBinder({
      ds: deps.ds,
      clients: options.clients,
      now: () => deps.now(),
      logger: deps.logger,
    });
  }

  /**
   * Pushes rows until none is due; returns what this drain did. `stop()` ends it after the current round.
   * Rounds overlap: round N is written back while round N+1 is pushed (round N+1 reads N's pushes from
   * memory), so the WeChat calls do not wait for the database.
   */
  async drain(stop: () => boolean = () => false): Promise<PushStats> {
    const before = { ...this.stats };
    let previous: { outcome: PushOutcome; written: Promise<unknown> } | undefined;
    let failed: unknown;
    try {
      while (!stop()) {
        const now = this.deps.now();
        for (const [key, until] of this.blocked) if (until <= now) this.blocked.delete(key);
        const exclude = [...this.blocked.keys()].map((k) => ({
          channel: k.slice(0, k.indexOf(':')),
          account: k.slice(k.indexOf(':') + 1),
        }));
        const rows = await claimDue(this.deps.ds, {
          owner: this.owner,
          now: new Date(now),
          limit: this.options.batchSize ?? 500,
          leaseMs: this.options.leaseMs ?? LEASE_MS,
          exclude,
        });
        if (rows.length === 0) break;
        const outcome = await this.pushRound(rows, previous?.outcome.overlay() ?? new Map());
        if (previous) await previous.written;
        if (failed !== undefined) throw failed;
        previous = {
          outcome,
          written: outcome.flush(this.deps.ds, this.owner).catch((err: unknown) => (failed = err)),
        };
      }
    } finally {
      if (previous) await previous.written;
    }
    if (failed !== undefined) throw failed;
    return diff(this.stats, before);
  }

  private async pushRound(rows: OutboxItem[], unflushed: ReadonlyMap<string, boolean>): Promise<PushOutcome> {
    const now = (): Date => new Date(this.deps.now());
    const outcome = new PushOutcome(this.stats, now, this.options.random ?? Math.random);
    const ctx: PushContext = {
      ds: this.deps.ds,
      clients: this.options.clients,
      binder: this.binder,
      fanout: this.deps.config.tags.wecomFanout,
      now,
      outcome,
      stats: this.stats,
      unflushed,
      limiter: (channel, account) => this.limiter(`${channel}:${account}`),
      logger: this.deps.logger,
      onInvalidCorpTag: this.options.onInvalidCorpTag ?? (async () => undefined),
      blockedUntil: (channel, account) => {
        const until = this.blocked.get(`${channel}:${account}`);
        return until !== undefined && until > this.deps.now() ? new Date(until) : undefined;
      },
      noteFailure: (channel, account, err) => {
        const f = classifyFailure(err);
        if (!f.blocksAccount) return;
        const key = `${channel}:${account}`;
        this.blocked.set(key, Math.max(this.blocked.get(key) ?? 0, this.deps.now() + Math.max(f.retryAfterMs, 1_000)));
      },
    };
    const groups = new Map<string, OutboxItem[]>();
    for (const row of rows)
      groups.set(`${row.channel}:${row.account}`, [...(groups.get(`${row.channel}:${row.account}`) ?? []), row]);
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const first = group[0]!;
        try {
          if (first.channel === 'oa') await pushOaAccount(ctx, first.account, group.filter(isOaPayload));
          else if (first.channel === 'wecom-remark')
            await pushRemarks(ctx, first.account, group.filter(isRemarkPayload));
          else await pushWecomAccount(ctx, first.account, group.filter(isWecomPayload));
        } catch (err) {
          // A failure before any per-row outcome (database, config): every row of the group is retried later.
          this.deps.logger.warn({ err, channel: first.channel, account: first.account }, 'outbox push failed');
          for (const row of group) if (!outcome.ended(row.id)) outcome.fail(row, err);
        }
      }),
    );
    return outcome;
  }

  private limiter(key: string): Semaphore {
    let s = this.limiters.get(key);
    if (!s) this.limiters.set(key, (s = new Semaphore(this.options.concurrencyPerAccount ?? 5)));
    return s;
  }
}

function diff(after: PushStats, before: PushStats): PushStats {
  return {
    calls: after.calls - before.calls,
    rowsDone: after.rowsDone - before.rowsDone,
    retries: after.retries - before.retries,
    rowsDead: after.rowsDead - before.rowsDead,
    itemsPushed: after.itemsPushed - before.itemsPushed,
    rowsSkipped: after.rowsSkipped - before.rowsSkipped,
    deferred: after.deferred - before.deferred,
  };
}
