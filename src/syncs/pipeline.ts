/**
 * Runs `fetch` for up to `lookahead` chunks ahead of the one being written, and `write` strictly in order:
 * WeChat calls overlap the database writes instead of alternating with them, while memory holds at most
 * `lookahead + 1` fetched chunks (streaming; never a whole follower list).
 */
export async function pipelined<C, F>(
  chunks: readonly C[],
  fetch: (chunk: C) => Promise<F>,
  write: (fetched: F, chunk: C) => Promise<void>,
  lookahead = 2,
): Promise<void> {
  const pending: Promise<F>[] = [];
  let next = 0;
  const fill = () => {
    while (next < chunks.length && pending.length <= lookahead) {
      const p = fetch(chunks[next++]!);
      // Observed here so a failure of a chunk we never reach (an earlier write threw) is not unhandled.
      p.catch(() => undefined);
      pending.push(p);
    }
  };
  for (let i = 0; i < chunks.length; i++) {
    fill();
    const fetched = await pending.shift()!;
    fill();
    await write(fetched, chunks[i]!);
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
