import { performance } from 'perf_hooks';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Middleware } from 'koa';

type Labels = 'method' | 'route' | 'status';

/** The labelled children of one series: prom-client hashes a label object on every call, a child does not. */
interface Series {
  requests: ReturnType<Counter<Labels>['labels']>;
  duration: ReturnType<Histogram<Labels>['labels']>;
}

/** Beyond this many distinct series new ones are still counted, just not cached (unmatched paths can vary). */
const MAX_CACHED_SERIES = 1000;

export interface HttpMetricsOptions {
  /**
   * prom-client's process metrics (CPU, memory, event loop lag, GC). They belong to the process, not to one app:
   * collecting them starts an event-loop-delay timer and a GC observer that live until the process exits and
   * cannot be stopped, so only `siyu serve` turns them on. An app built in a process that builds many (tests,
   * the demo, benches) would leave one running set per app, each holding everything reachable from where it began.
   */
  processMetrics?: boolean;
}

/** One registry per app instance (tests build many apps in one process). */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<Labels>;
  private readonly duration: Histogram<Labels>;
  private readonly series = new Map<string, Series>();

  constructor(opts: HttpMetricsOptions = {}) {
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'siyu_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'siyu_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }

  /** Labels use the matched route pattern (`/api/v1/customers/:id`), never the raw path (bounded cardinality). */
  middleware(): Middleware {
    return async (ctx, next) => {
      // performance.now() is a double already; hrtime.bigint() would need a BigInt → Number conversion.
      const start = performance.now();
      try {
        await next();
      } finally {
        const route =
          (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? (ctx.status === 404 ? 'unmatched' : ctx.path);
        const s = this.seriesFor(ctx.method, String(route), ctx.status);
        s.requests.inc();
        s.duration.observe((performance.now() - start) / 1000);
      }
    };
  }

  private seriesFor(method: string, route: string, status: number): Series {
    const key = `${method} ${status} ${route}`;
    let s = this.series.get(key);
    if (!s) {
      const labels = { method, route, status: String(status) };
      s = { requests: this.requests.labels(labels), duration: this.duration.labels(labels) };
      if (this.series.size < MAX_CACHED_SERIES) this.series.set(key, s);
    }
    return s;
  }
}
