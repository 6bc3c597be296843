import { findOfficialAccount, findWecom } from '../../../config';
import { isWechatApiError } from '../../../connectors/common/http/wechat-api-error';
import type { AppContext } from '../../app-context';
import type { Worker } from '../../background';
import { newInstanceId } from '../../instance-id';
import type { Services } from '../../services';
import type { SyncRuntime } from '../sync-runtime';
import { refreshOaUser, refreshOaUsers } from './oa-user.refresh';
import { RefreshQueueRepository, type RefreshJob } from '../../storage/syncs/refresh-queue.repository';
import { refreshWecomContact, refreshWecomContacts } from './wecom-contact.refresh';
import { refreshWecomMember } from './wecom-member.refresh';
import { refreshWecomGroup } from './wecom-group.refresh';
import { refreshWecomGroupJoiners } from './wecom-group-joiners.refresh';
import { SerialBatches } from '../../workers/serial-batches';
import { TokenUnavailableError } from '../../tokens/token-errors';
import { UnknownAccountError } from '../../tokens/unknown-account.error';
import { RoundFailures } from '../../workers/round-failures';

export interface RefreshWorkerOptions {
  batchSize: number;
  pollMs: number;
  leaseMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** First retry delay after a token error (the refresh has usually landed by then). */
  tokenRetryMs: number;
}

const DEFAULTS: RefreshWorkerOptions = {
  // A batchget reads 100 openids (wechat-api.md §2.3); WeCom contact reads of a batch still go at most the HTTP
  // client's per-account concurrency at a time.
  batchSize: 100,
  pollMs: 1000,
  leaseMs: 60_000,
  maxAttempts: 6,
  backoffBaseMs: 5_000,
  backoffMaxMs: 600_000,
  tokenRetryMs: 1_000,
};

/**
 * Drains `refresh_queue`: each claimed hint becomes a WeChat read, and the hints of one kind and account claimed
 * together are stored, and their rows completed, in one transaction (handleGroup). Failures back off (WeChat's
 * rate-limit hint respected) and give up after `maxAttempts`; non-retryable WeChat errors fail at once. Several
 * instances claim disjoint rows.
 */
export class RefreshWorker implements Worker {
  readonly name = 'refresh-worker';
  private readonly queue: RefreshQueueRepository;
  private readonly opts: RefreshWorkerOptions;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly batches = new SerialBatches(() => this.batch());
  private readonly failures: RoundFailures;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private lastReclaim = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly app: AppContext,
    opts: Partial<RefreshWorkerOptions>,
    private readonly rt: SyncRuntime,
    private readonly workerId: string = newInstanceId(),
  ) {
    this.queue = new RefreshQueueRepository(app.ds, { claim: app.config.database.claim });
    this.opts = { ...DEFAULTS, ...opts };
    this.failures = new RoundFailures(app.logger, 'refresh worker');
  }

  start(): this {
    this.loopDone = this.loop();
    return this;
  }

  /** One batch, serialised with the loop. Returns rows handled. */
  drainOnce(): Promise<number> {
    return this.batches.once();
  }

  async drain(): Promise<number> {
    return this.batches.all();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.loopDone;
    await this.batches.settled();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let n = 0;
      try {
        n = await this.drainOnce();
        this.failures.succeeded();
      } catch (err) {
        // A claim that lost conflicts or a node that is away: the queue rows stay, nothing was read or lost.
        this.failures.failed(err);
      }
      if (n === 0 && !this.stopping) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, this.opts.pollMs);
        });
      }
    }
  }

  private async batch(): Promise<number> {
    const now = new Date(this.app.now());
    // A lease outlives many polls: looking for expired claims every few seconds is enough.
    if (now.getTime() - this.lastReclaim >= Math.min(5_000, this.opts.leaseMs)) {
      this.lastReclaim = now.getTime();
      const reclaimed = await this.queue.reclaimExpired(now);
      if (reclaimed > 0) this.app.logger.warn({ reclaimed }, 'took back refresh rows whose read lease expired');
    }
    const jobs = await this.queue.claim(
      this.workerId,
      this.opts.batchSize,
      now,
      new Date(now.getTime() + this.opts.leaseMs),
    );
    const groups = new Map<string, RefreshJob[]>();
    for (const job of jobs) {
      const key = `${job.kind}\u0000${job.account}`;
      groups.set(key, [...(groups.get(key) ?? []), job]);
    }
    await Promise.all([...groups.values()].map((group) => this.handleGroup(group)));
    return jobs.length;
  }

  /**
   * Jobs of one kind and account claimed together. OA subscribers are read with one batchget, WeCom contacts
   * with their reads side by side, and each group is stored in one transaction (refreshOaUsers,
   * refreshWecomContacts); the rest, and jobs a group store gave back, are handled one by one.
   */
  private async handleGroup(group: RefreshJob[]): Promise<void> {
    const { kind, account: id } = group[0]!;
    const deps = { ds: this.app.ds, identity: this.rt.identity, queue: this.queue, now: this.app.now };
    let alone = group;
    try {
      const oa = kind === 'oa_user' ? findOfficialAccount(this.app.config, id) : undefined;
      const wecom = kind === 'wecom_contact' ? findWecom(this.app.config, id) : undefined;
      if (group.length > 1 && oa) {
        alone = await refreshOaUsers({ ...deps, client: this.rt.clients.oa(oa.appId) }, oa, group);
      } else if (group.length > 1 && wecom) {
        const client = this.rt.clients.wecom(wecom.corpId);
        const failed = await refreshWecomContacts({ ...deps, client }, wecom, group);
        alone = [];
        for (const f of failed) await this.failed(f.job, f.error);
      }
    } catch (err) {
      // The reads succeeded and the store failed after its retries: each job is read and stored again alone.
      this.app.logger.warn({ err, kind, account: id, jobs: group.length }, 'batched refresh failed; reading alone');
    }
    await Promise.all(alone.map((job) => this.handle(job)));
  }

  private async handle(job: RefreshJob): Promise<void> {
    const deps = { ds: this.app.ds, identity: this.rt.identity, queue: this.queue, now: this.app.now };
    try {
      if (job.kind === 'oa_user') {
        const account = findOfficialAccount(this.app.config, job.account);
        if (!account) throw new UnknownAccountError('official-account', job.account);
        await refreshOaUser({ ...deps, client: this.rt.clients.oa(account.appId) }, account, job);
        return;
      }
      const account = findWecom(this.app.config, job.account);
      if (!account) throw new UnknownAccountError('wecom', job.account);
      const client = this.rt.clients.wecom(account.corpId);
      if (job.kind === 'wecom_contact') await refreshWecomContact({ ...deps, client }, account, job);
      else if (job.kind === 'wecom_member')
        await refreshWecomMember({ ds: this.app.ds, queue: this.queue, now: this.app.now, client }, job);
      else {
        const groupDeps = { ds: this.app.ds, resolver: this.rt.resolver, queue: this.queue, now: this.app.now, client };
        if (job.kind === 'wecom_group_joiners') await refreshWecomGroupJoiners(groupDeps, account, job);
        else await refreshWecomGroup(groupDeps, account, job);
      }
    } catch (err) {
      await this.failed(job, err);
    }
  }

  /** Backs a failed job off (WeChat's rate-limit hint respected), or gives it up when it cannot succeed. */
  private async failed(job: RefreshJob, err: unknown): Promise<void> {
    // A rejected token is never the row's fault: the shared token has been (or is being) refreshed, so the read
    // runs again soon with the new one instead of failing (DESIGN §6).
    const tokenError =
      (isWechatApiError(err) && err.category === 'TOKEN_EXPIRED') || err instanceof TokenUnavailableError;
    // A frequency limit (WeCom's 45009 per minute, hour and day) says "later", never "never": the read waits at
    // least the limit's window (retryAfterSeconds) instead of being given up.
    const rateLimited = isWechatApiError(err) && err.category === 'RATE_LIMITED';
    const retryable =
      tokenError || rateLimited || (isWechatApiError(err) ? err.retryable : !(err instanceof UnknownAccountError));
    const giveUp = !retryable || job.attempts >= this.opts.maxAttempts;
    const hinted = isWechatApiError(err) && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 0;
    const baseMs = tokenError ? this.opts.tokenRetryMs : this.opts.backoffBaseMs;
    const backoff = Math.min(this.opts.backoffMaxMs, baseMs * 2 ** (job.attempts - 1)) * (0.5 + Math.random() / 2);
    const retryAt = giveUp ? null : new Date(this.app.now() + Math.max(hinted, backoff));
    this.app.logger.warn({ err, refreshId: job.id, kind: job.kind, attempts: job.attempts, giveUp }, 'refresh failed');
    await this.queue.fail(job, err instanceof Error ? err.message : String(err), retryAt, new Date(this.app.now()));
  }
}

/** Background worker factory (src/background.ts): every instance drains; claims keep them apart. */
export function refreshWorker(app: Services): Worker {
  return new RefreshWorker(app, {}, app, app.instanceId).start();
}
