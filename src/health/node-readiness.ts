import type { Logger } from '../logger';
import type { DataSource } from '../storage';
import { readNodeState, type NodeState } from '../storage/node-state';

export interface NodeReadinessOptions {
  /** How long one answer is reused (default 1 s): callbacks ask on every request, the node is asked once. */
  cacheMs?: number;
  /** A check that takes longer counts as not synced (default 2 s): a hung server is not a ready one. */
  timeoutMs?: number;
  /** Real time, not the app's injectable clock: a test moving business time must not freeze the cache. */
  clock?: () => number;
  /** How the node is asked (default: storage's readNodeState on the app's DataSource). */
  read?: (ds: DataSource) => Promise<NodeState>;
}

export interface Readiness {
  synced: boolean;
  state: string | null;
  /** Why not synced: the node's state, or the error that stopped the check. */
  reason?: string;
}

/**
 * Whether this gateway's database node is in the cluster (DESIGN §3): `/readyz` fails and callbacks answer
 * 503 while it is not, so WeChat retries and a balancer sends them to another gateway; it turns ready again by
 * itself once the node is back. One check at a time, its answer cached: at most one query per `cacheMs`
 * whatever the callback rate. State changes are logged once each (warn when lost, info when back).
 */
export class NodeReadiness {
  private last: { at: number; value: Readiness } | undefined;
  private inFlight: Promise<Readiness> | undefined;
  private readonly cacheMs: number;
  private readonly timeoutMs: number;
  private readonly clock: () => number;
  private readonly read: (ds: DataSource) => Promise<NodeState>;

  constructor(
    private readonly deps: { ds: DataSource; logger: Logger },
    opts: NodeReadinessOptions = {},
  ) {
    this.cacheMs = opts.cacheMs ?? 1_000;
    this.timeoutMs = opts.timeoutMs ?? 2_000;
    this.clock = opts.clock ?? Date.now;
    this.read = opts.read ?? readNodeState;
  }

  /** The cached answer when fresh, else one shared check. Never throws. */
  check(): Promise<Readiness> {
    if (this.last && this.clock() - this.last.at < this.cacheMs) return Promise.resolve(this.last.value);
    this.inFlight ??= this.ask().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async ask(): Promise<Readiness> {
    let value: Readiness;
    try {
      const state = await withTimeout(this.read(this.deps.ds), this.timeoutMs);
      value = readinessOf(state);
    } catch (err) {
      value = { synced: false, state: null, reason: (err as Error)?.message ?? String(err) };
    }
    const before = this.last?.value.synced;
    this.last = { at: this.clock(), value };
    if (before !== false && !value.synced)
      this.deps.logger.warn({ state: value.state, reason: value.reason }, 'database node not synced: not ready');
    else if (before === false && value.synced)
      this.deps.logger.info({ state: value.state }, 'database node synced again');
    return value;
  }
}

function readinessOf(s: NodeState): Readiness {
  return s.synced
    ? { synced: true, state: s.state }
    : { synced: false, state: s.state, reason: `node is ${s.state ?? 'not ready'}` };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  // A check that lost the race may still fail later: nothing waits for it, so its rejection is dropped here.
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
