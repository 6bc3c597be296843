/**
 * Fetches chunks up to `lookahead` ahead and writes up to `writers` of them at once: WeChat calls overlap the
 * database writes instead of alternating with them, several write transactions keep the database busy (their
 * rows are disjoint), and memory holds at most `lookahead + writers` fetched chunks (streaming; never a whole
 * follower list). Resolves once every chunk is written; the first failure rejects after in-flight writes settle.
 */
export async function pipelined<C, F>(
  chunks: readonly C[],
  fetch: (chunk: C) => Promise<F>,
  write: (fetched: F, chunk: C) => Promise<void>,
  opts: { lookahead?: number; writers?: number } = {},
): Promise<void> {
  const lookahead = Math.max(0, opts.lookahead ?? 2);
  const writers = Math.max(1, opts.writers ?? 1);
  const fetched: Promise<F>[] = [];
  let nextFetch = 0;
  const fill = (written: number) => {
    while (nextFetch < chunks.length && nextFetch < written + lookahead + writers) {
      const p = fetch(chunks[nextFetch++]!);
      // Observed here so a failure of a chunk never reached (an earlier write threw) is not unhandled.
      p.catch(() => undefined);
      fetched.push(p);
    }
  };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for (let i = 0; i < chunks.length && failure === undefined; i++) {
    fill(i);
    const data = await fetched[i]!.catch((err: unknown) => {
      failure = err;
      return undefined;
    });
    if (failure !== undefined) break;
    const w: Promise<void> = write(data as F, chunks[i]!).then(
      () => void inFlight.delete(w),
      (err: unknown) => {
        inFlight.delete(w);
        failure ??= err;
      },
    );
    inFlight.add(w);
    if (inFlight.size >= writers) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
