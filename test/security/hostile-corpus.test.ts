import { useTestDatabase } from '../helpers/describe-db';
import { callbackCases } from './hostile-corpus/callback-cases';
import {
  type CorpusContext,
  type HostileCase,
  type HttpCase,
  oaText,
  plainQuery,
  qs,
  xmlEnvelope,
} from './hostile-corpus/corpus-types';
import { framingCases, sendRaw } from './hostile-corpus/framing-cases';
import { frontDoorCases } from './hostile-corpus/front-door-cases';
import { type HostileWorld, OA_PLAIN, type RowCounts, startHostileWorld } from './hostile-corpus/hostile-world';
import { payCases } from './hostile-corpus/pay-cases';

/**
 * The hostile corpus (DESIGN §7): every hostile input is refused with a 4xx — never a 5xx, never a stack
 * trace — and leaves inbox, events, customers and identities as they were; the few odd but valid callbacks
 * mixed in are stored once. Afterwards the process still serves /healthz and still accepts a valid callback.
 */
const STACK = /\n\s+at |node:internal|\.[jt]s:\d+:\d+|RangeError|SyntaxError|TypeError|Maximum call stack/;

interface Outcome {
  statuses: number[];
  text: string;
  contentType: string | null;
}

async function send(world: HostileWorld, c: HostileCase): Promise<Outcome> {
  if (c.kind === 'raw') {
    const r = await sendRaw(world.port, c.bytes);
    return { statuses: r.statuses, text: r.text, contentType: null };
  }
  const res = await fetch(world.url + c.path, {
    method: c.method,
    headers: c.headers,
    body: c.body,
    redirect: 'manual',
  });
  return { statuses: [res.status], text: await res.text(), contentType: res.headers.get('content-type') };
}

/** What is wrong with one answer (empty when it is a proper refusal, or a proper acceptance for `accepted`). */
function problems(c: HostileCase, o: Outcome, before: RowCounts, after: RowCounts): string[] {
  const found: string[] = [];
  if (o.statuses.some((s) => s >= 500)) found.push(`answered ${o.statuses.join(',')}`);
  if (c.kind === 'http' && c.accepted) {
    if (o.statuses[0] !== 200 || o.text !== 'success')
      found.push(`not accepted: ${o.statuses.join(',')} ${o.text.slice(0, 200)}`);
    if (after.inbox !== before.inbox + 1) found.push(`inbox: ${before.inbox} → ${after.inbox} rows, expected one more`);
    return found;
  }
  // A raw connection may see `100 Continue` before its refusal; node answers framing faults itself.
  const refusal = (s: number) => (s >= 400 && s < 500) || (c.kind === 'raw' && s === 100);
  if (o.statuses.length === 0 || !o.statuses.every(refusal))
    found.push(`not refused: ${o.statuses.join(',') || 'no answer'}`);
  if (STACK.test(o.text)) found.push(`stack trace text in the body: ${o.text.slice(0, 200)}`);
  if (c.kind === 'http' && o.contentType?.includes('json')) {
    const body = JSON.parse(o.text) as { error?: { code?: unknown }; code?: unknown };
    if (typeof (body.error?.code ?? body.code) !== 'string')
      found.push(`error body without a code: ${o.text.slice(0, 200)}`);
  }
  for (const table of Object.keys(before) as (keyof RowCounts)[]) {
    if (after[table] !== before[table]) found.push(`${table}: ${before[table]} → ${after[table]} rows`);
  }
  return found;
}

describe('hostile corpus against the four callback endpoints and the H5/MP/track front doors', () => {
  const db = useTestDatabase();
  let world: HostileWorld;
  let corpus: HostileCase[];

  beforeAll(async () => {
    world = await startHostileWorld(db);
    const ctx: CorpusContext = { world, now: world.nowSeconds(), mpToken: await world.mpToken() };
    corpus = [...callbackCases(ctx), ...payCases(ctx), ...frontDoorCases(ctx), ...framingCases(ctx)];
  });
  afterAll(async () => {
    await world?.close();
  });

  it('holds at least 200 hostile inputs, covering every door', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const doors = (c: HostileCase) =>
      c.kind === 'raw'
        ? 'framing'
        : c.path.split('/')[1] === 'wechat'
          ? c.path.split('/')[2]!
          : c.path.split('/')[1]!.split('?')[0]!;
    expect(new Set(corpus.map(doors))).toEqual(
      new Set(['official-account', 'wecom', 'mini-program', 'pay', 'h5', 'mp', 'track', 'framing']),
    );
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  it('refuses every hostile one with a 4xx, no stack trace and no row written, and stores each odd but valid one once', async () => {
    const failures: string[] = [];
    for (const c of corpus) {
      const before = await world.counts();
      const outcome = await send(world, c);
      const after = await world.counts();
      const found = problems(c, outcome, before, after);
      if (found.length > 0) failures.push(`${c.name}: ${found.join('; ')}`);
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it('is healthy afterwards: /healthz answers and a valid callback is still accepted and stored once', async () => {
    expect((await fetch(`${world.url}/healthz`)).status).toBe(200);
    const before = await world.counts();
    const now = world.nowSeconds();
    const valid: HttpCase = {
      kind: 'http',
      name: 'valid',
      method: 'POST',
      path: `/wechat/official-account/${OA_PLAIN.appId}?${qs(plainQuery(OA_PLAIN.token, String(now)))}`,
      headers: { 'content-type': 'text/xml' },
      body: xmlEnvelope(oaText({ MsgId: String(now) }, now)),
    };
    const first = await send(world, valid);
    expect(first.statuses).toEqual([200]);
    expect(first.text).toBe('success');
    expect((await send(world, valid)).statuses).toEqual([200]);
    expect((await world.counts()).inbox).toBe(before.inbox + 1);
  });
});
