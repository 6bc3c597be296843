import type { PrebuiltCallback } from './requests';

/** The part of autocannon's API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
  duration: number;
}
interface RequestContext {
  index?: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
  requests: {
    method: string;
    setupRequest: (req: Record<string, unknown>, ctx: RequestContext) => Record<string, unknown>;
    onResponse: (status: number, body: string, ctx: RequestContext) => void;
  }[];
}) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  sent: number;
  acked: number;
  failed: number;
  /** MsgIds of every callback answered 2xx. */
  ackedMsgIds: string[];
  /** The pre-built pool ran out and callbacks were sent again. */
  repeated: boolean;
}

/**
 * Fixed connections for a fixed duration; every request takes the next pre-built callback (distinct MsgId), and
 * the MsgIds that were acked are kept for the durability check afterwards.
 */
export async function runLoad(
  url: string,
  callbacks: PrebuiltCallback[],
  connections: number,
  durationS: number,
): Promise<LoadResult> {
  let next = 0;
  const acked: string[] = [];
  let failed = 0;
  const r = await autocannon({
    url,
    connections,
    duration: durationS,
    pipelining: 1,
    requests: [
      {
        method: 'POST',
        setupRequest: (req, ctx) => {
          // Past the pool the callbacks repeat (WeChat-style duplicates); the report says so.
          const i = next++ % callbacks.length;
          ctx.index = i;
          const cb = callbacks[i]!;
          return { ...req, path: cb.path, body: cb.body, headers: { 'content-type': 'text/xml' } };
        },
        onResponse: (status, _body, ctx) => {
          const cb = ctx.index === undefined ? undefined : callbacks[ctx.index];
          if (status >= 200 && status < 300 && cb) acked.push(cb.msgId);
          else failed++;
        },
      },
    ],
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    sent: r.requests.total,
    acked: acked.length,
    failed: failed + r.errors + r.timeouts,
    ackedMsgIds: acked,
    repeated: next > callbacks.length,
  };
}
