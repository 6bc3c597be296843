/**
 * The offered load of one step, decided before it is sent: which callback goes at which slot, for whom, and
 * with which CreateTime. Pure (no I/O) so the shares, the schedule and the distinct dedupe keys can be tested.
 */
export type CallbackKind = 'oa-subscribe-new' | 'oa-subscribe-known' | 'oa-text' | 'wecom-add';

/** The mix's shares, in the order a tie is broken. */
export const MIX: readonly (readonly [CallbackKind, number])[] = [
  ['oa-text', 0.4],
  ['oa-subscribe-new', 0.25],
  ['wecom-add', 0.2],
  ['oa-subscribe-known', 0.15],
];

export interface Relation {
  userid: string;
  externalUserId: string;
}

export type CallbackSpec =
  | { kind: 'oa-subscribe-new' | 'oa-subscribe-known'; openid: string; createTime: number }
  | { kind: 'oa-text'; openid: string; createTime: number; msgId: bigint }
  | { kind: 'wecom-add'; relation: Relation; createTime: number };

/** When callback `i` of a step is due, in ms after the step's start: a fixed schedule, whatever the answers do. */
export function dueMs(i: number, rate: number): number {
  return (i * 1000) / rate;
}

/**
 * Kinds for `count` slots in the given shares, spread evenly (each prefix holds its share to within one), so a
 * step's first seconds carry the same mix as its last.
 */
export function kindSequence(
  count: number,
  shares: readonly (readonly [CallbackKind, number])[] = MIX,
): CallbackKind[] {
  const total = shares.reduce((s, [, w]) => s + w, 0);
  const given = shares.map(() => 0);
  const out: CallbackKind[] = new Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    let bestGap = Number.NEGATIVE_INFINITY;
    shares.forEach(([, w], k) => {
      const gap = ((i + 1) * w) / total - given[k]!;
      if (gap > bestGap) {
        best = k;
        bestGap = gap;
      }
    });
    given[best]!++;
    out[i] = shares[best]![0];
  }
  return out;
}

/**
 * Who the callbacks are about, and the cursors that carry across steps: new people and WeCom relations are taken
 * once each over the whole run; known people are reused round-robin, never twice in one CreateTime second (the
 * gateway would rightly take that as WeChat's retry of one event, DESIGN §6).
 */
export interface MixPools {
  newOpenids: readonly string[];
  knownOpenids: readonly string[];
  relations: readonly Relation[];
  cursor: { next: number; relation: number; known: number; text: number; msgId: bigint };
}

export function emptyCursor(firstMsgId: bigint): MixPools['cursor'] {
  return { next: 0, relation: 0, known: 0, text: 0, msgId: firstMsgId };
}

function take<T>(list: readonly T[], at: number, what: string): T {
  const t = list[at];
  if (t === undefined) throw new Error(`only ${list.length} ${what} in the world`);
  return t;
}

/**
 * The callbacks of one step: `count` slots at `rate`/s from `startUnixMs` (CreateTime is the slot's due second).
 * Throws when the pools are too small for the step (the world is sized from the plan beforehand).
 */
export function buildMix(count: number, rate: number, startUnixMs: number, pools: MixPools): CallbackSpec[] {
  const c = pools.cursor;
  const known = pools.knownOpenids;
  const knownThisSecond = new Set<string>();
  let second = -1;
  return kindSequence(count).map((kind, i): CallbackSpec => {
    const createTime = Math.floor((startUnixMs + dueMs(i, rate)) / 1000);
    // Only repeats within one second would collide: forget the previous second's people.
    if (createTime !== second) {
      second = createTime;
      knownThisSecond.clear();
    }
    switch (kind) {
      case 'oa-subscribe-new':
        return { kind, openid: take(pools.newOpenids, c.next++, 'new people'), createTime };
      case 'oa-subscribe-known': {
        if (knownThisSecond.size >= known.length)
          throw new Error(`${known.length} known people are too few for ${rate}/s`);
        let openid = known[c.known++ % known.length]!;
        while (knownThisSecond.has(openid)) openid = known[c.known++ % known.length]!;
        knownThisSecond.add(openid);
        return { kind, openid, createTime };
      }
      case 'oa-text':
        return { kind, openid: known[c.text++ % known.length]!, createTime, msgId: c.msgId++ };
      case 'wecom-add':
        return { kind, relation: take(pools.relations, c.relation++, 'WeCom relations'), createTime };
    }
  });
}

/** What the gateway's dedupe key depends on, per callback (DESIGN §6): equal keys here would be retries. */
export function dedupeIdentity(s: CallbackSpec): string {
  switch (s.kind) {
    case 'oa-subscribe-new':
    case 'oa-subscribe-known':
      return `oa:${s.openid}:${s.createTime}:subscribe`;
    case 'oa-text':
      return `oa:msg:${s.msgId}`;
    case 'wecom-add':
      return `wecom:${s.relation.userid}:${s.relation.externalUserId}:${s.createTime}`;
  }
}

const share = (k: CallbackKind): number => MIX.find(([m]) => m === k)![1];

/** Callbacks in a step of `rate`/s for `durationS` seconds. */
export function stepCount(rate: number, durationS: number): number {
  return Math.round(rate * durationS);
}

/**
 * How many people and relations a run needs: every step's new subscribes and WeCom adds (each used once), and a
 * known pool big enough that one second's known subscribes never repeat a person.
 */
export function worldNeeds(
  rates: readonly number[],
  durationS: number,
): { newPeople: number; known: number; relations: number } {
  const counts = rates.map((r) => stepCount(r, durationS));
  const upTo = (k: CallbackKind) => counts.reduce((s, n) => s + Math.ceil(n * share(k)) + 1, 0);
  return {
    newPeople: upTo('oa-subscribe-new'),
    known: Math.max(500, Math.ceil(Math.max(...rates) * share('oa-subscribe-known') * 2)),
    relations: upTo('wecom-add'),
  };
}

/** The warm-up: one subscribe per known person at `rate`/s, so the steps' known people are known. */
export function warmUpMix(openids: readonly string[], rate: number, startUnixMs: number): CallbackSpec[] {
  return openids.map((openid, i) => ({
    kind: 'oa-subscribe-new',
    openid,
    createTime: Math.floor((startUnixMs + dueMs(i, rate)) / 1000),
  }));
}
