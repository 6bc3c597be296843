/**
 * Pulls chunks from `source` lazily, fetches up to `lookahead` ahead and writes up to `writers` of them at once:
 * WeChat calls overlap the database writes instead of alternating with them, several write transactions keep
 * the database busy (their rows are disjoint), and memory holds at most `lookahead + writers` fetched chunks
 * (streaming; never a whole follower list). The source runs on across pages, so the database never idles while
 * one page drains and the next starts. Resolves once every chunk is written; the first failure rejects after
 * in-flight writes settle, and no chunk is pulled or written after it.
 */
export async function pipelined<C, F>(
  source: Iterable<C> | AsyncIterable<C>,
  fetch: (chunk: C) => Promise<F>,
  write: (fetched: F, chunk: C) => Promise<void>,
  opts: { lookahead?: number; writers?: number } = {},
): Promise<void> {
  const lookahead = Math.max(0, opts.lookahead ?? 2);
  const writers = Math.max(1, opts.writers ?? 1);
  const it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : toAsync(source[Symbol.iterator]());
  const queue: { chunk: C; data: Promise<F> }[] = [];
  let exhausted = false;
  const fill = async () => {
    while (!exhausted && queue.length < lookahead + writers - inFlight.size) {
      const next = await it.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const data = fetch(next.value);
      // Observed here so a failure of a chunk never reached (an earlier write threw) is not unhandled.
      data.catch(() => undefined);
      queue.push({ chunk: next.value, data });
    }
  };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const fail = (err: unknown) => {
    failure ??= err;
  };
  try {
    for (;;) {
      await fill();
      const head = queue.shift();
      if (!head || failure !== undefined) break;
      const data = await head.data.catch((err: unknown) => (fail(err), undefined));
      if (failure !== undefined) break;
      const w: Promise<void> = write(data as F, head.chunk).then(
        () => void inFlight.delete(w),
        (err: unknown) => {
          inFlight.delete(w);
          fail(err);
        },
      );
      inFlight.add(w);
      if (inFlight.size >= writers) await Promise.race(inFlight);
      if (failure !== undefined) break;
    }
  } catch (err) {
    fail(err);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) {
    await it.return?.().catch(() => undefined);
    throw failure;
  }
}

async function* toAsync<C>(it: Iterator<C>): AsyncGenerator<C> {
  for (let n = it.next(); !n.done; n = it.next()) yield n.value;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
