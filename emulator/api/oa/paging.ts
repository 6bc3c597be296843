import { WxError } from '../../core/wx-error';
import type { OaAudience } from '../../world/oa-audience';

export const OA_PAGE_SIZE = 10_000;

/**
 * Openid paging shared by user/get and user/tag/get (wechat-api.md §2.1, §13 item 10): slots in stable order,
 * ≤10,000 per page, `next_openid` = last openid of the page. Ending per `followerListEnding`: `empty-page` keeps
 * next_openid on the last page and answers one more call with count 0 and next_openid ""; `short-page` clears
 * next_openid on the last page already.
 */
export function pageOpenids(
  aud: OaAudience,
  nextOpenid: unknown,
  firstFrom: (slot: number) => number,
  ending: 'empty-page' | 'short-page',
): { openids: string[]; nextOpenid: string } {
  let from = 0;
  if (typeof nextOpenid === 'string' && nextOpenid !== '') {
    const s = aud.slotOf(nextOpenid);
    if (s < 0) throw new WxError(40003);
    from = s + 1;
  } else if (nextOpenid !== undefined && typeof nextOpenid !== 'string') {
    throw new WxError(47001);
  }
  const openids: string[] = [];
  let last = -1;
  for (let s = firstFrom(from); s >= 0 && openids.length < OA_PAGE_SIZE; s = firstFrom(s + 1)) {
    openids.push(aud.openid(s));
    last = s;
  }
  if (last < 0) return { openids, nextOpenid: '' };
  const done = ending === 'short-page' && firstFrom(last + 1) < 0;
  return { openids, nextOpenid: done ? '' : aud.openid(last) };
}

/** First following slot at or after `from`, or -1. */
export function nextFollower(aud: OaAudience): (from: number) => number {
  return (from) => {
    for (let s = from; s < aud.size; s++) if (aud.isFollower(s)) return s;
    return -1;
  };
}
