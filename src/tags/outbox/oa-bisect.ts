import { WechatApiError, type WechatErrorCategory } from '../../../connectors/common/http/wechat-api-error';

/** Not a follower or not this app's openid, or a user already at 20 tags: one openid's fault, the whole batch refused. */
const PER_OPENID: ReadonlySet<WechatErrorCategory> = new Set(['SUBJECT_GONE', 'SUBJECT_REFUSED']);

export interface BisectResult<T> {
  /** Subjects WeChat accepted. */
  ok: T[];
  /** Untagging subjects that no longer follow (or are not this app's): WeChat holds nothing to remove. */
  gone: T[];
  /** Subjects refused for good, by errcode (kept for the operator). */
  refused: Map<number, T[]>;
  /** Subjects not pushed because a failure that is not one subject's stopped the row. */
  pending: T[];
  /** That failure (retried or dead by the caller); undefined when the row went through. */
  error: unknown;
}

/**
 * One OA batchtagging / batchuntagging row pushed with bisection (wechat-api.md §3): WeChat refuses a whole batch
 * for one bad openid, so a per-openid refusal halves the list until the refused openids stand alone; any other
 * failure stops the row, and what was not sent yet stays pending.
 */
export async function bisectPush<T extends { openid: string }>(
  todo: readonly T[],
  add: boolean,
  call: (openids: string[]) => Promise<void>,
): Promise<BisectResult<T>> {
  const out: BisectResult<T> = { ok: [], gone: [], refused: new Map(), pending: [], error: undefined };
  const queue: T[][] = [[...todo]];
  while (queue.length > 0) {
    const list = queue.shift()!;
    if (out.error !== undefined) {
      out.pending.push(...list);
      continue;
    }
    try {
      await call(list.map((t) => t.openid));
      out.ok.push(...list);
    } catch (err) {
      if (err instanceof WechatApiError && err.errcode !== null && PER_OPENID.has(err.category)) {
        if (list.length > 1) queue.unshift(list.slice(0, list.length >> 1), list.slice(list.length >> 1));
        else if (!add && err.category === 'SUBJECT_GONE') out.gone.push(list[0]!);
        else out.refused.set(err.errcode, [...(out.refused.get(err.errcode) ?? []), list[0]!]);
      } else {
        out.error = err;
        out.pending.push(...list);
      }
    }
  }
  return out;
}
