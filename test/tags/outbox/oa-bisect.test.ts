import { WechatApiError, type WechatErrorCategory } from '../../../connectors/common/http/wechat-api-error';
import { bisectPush } from '../../../src/tags/outbox/oa-bisect';

const refusal = (errcode: number, category: WechatErrorCategory) =>
  new WechatApiError({ api: 'tags/members/batchtagging', errcode, errmsg: 'refused', category, retryable: false });

/** A fake batchtagging endpoint: refuses a whole batch when it holds one of `bad` (as WeChat does), records each call. */
function fakeBatch(bad: ReadonlyMap<string, WechatApiError>, failOnCall?: { call: number; err: unknown }) {
  const calls: string[][] = [];
  const call = async (openids: string[]): Promise<void> => {
    calls.push(openids);
    if (failOnCall && calls.length === failOnCall.call) throw failOnCall.err;
    const hit = openids.find((o) => bad.has(o));
    if (hit !== undefined) throw bad.get(hit)!;
  };
  return { calls, call };
}

const subjects = (n: number) => Array.from({ length: n }, (_, i) => ({ openid: `o${String(i).padStart(2, '0')}` }));
const ids = (ts: { openid: string }[]) => ts.map((t) => t.openid);

describe('bisectPush', () => {
  it('pushes a clean batch in one call', async () => {
    const todo = subjects(50);
    const { calls, call } = fakeBatch(new Map());
    const r = await bisectPush(todo, true, call);
    expect(calls).toEqual([ids(todo)]);
    expect(r.ok).toEqual(todo);
    expect(r).toMatchObject({ gone: [], pending: [], error: undefined });
    expect(r.refused.size).toBe(0);
  });

  it('isolates one refused openid of 50 by halving, and pushes the other 49', async () => {
    const todo = subjects(50);
    const { calls, call } = fakeBatch(new Map([['o37', refusal(45059, 'SUBJECT_REFUSED')]]));
    const r = await bisectPush(todo, true, call);
    expect(ids(r.ok).sort()).toEqual(ids(todo).filter((o) => o !== 'o37'));
    expect([...r.refused]).toEqual([[45059, [{ openid: 'o37' }]]]);
    expect(r.error).toBeUndefined();
    // One failing call per halving level (six from 50 down to 1) plus one for each good sibling half.
    expect(calls.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(50)));
    expect(calls.every((c) => c.length <= 50)).toBe(true);
  });

  it('keeps refused openids apart by errcode', async () => {
    const { call } = fakeBatch(
      new Map([
        ['o03', refusal(45059, 'SUBJECT_REFUSED')],
        ['o11', refusal(40003, 'SUBJECT_GONE')],
        ['o12', refusal(40003, 'SUBJECT_GONE')],
      ]),
    );
    const r = await bisectPush(subjects(16), true, call);
    expect(r.refused.get(45059)).toEqual([{ openid: 'o03' }]);
    expect(ids(r.refused.get(40003)!)).toEqual(['o11', 'o12']);
    expect(r.ok).toHaveLength(13);
  });

  it('counts an unfollower as gone when untagging (WeChat holds nothing to remove) but refused when tagging', async () => {
    const bad = new Map([['o02', refusal(40003, 'SUBJECT_GONE')]]);
    const untag = await bisectPush(subjects(4), false, fakeBatch(bad).call);
    expect(untag.gone).toEqual([{ openid: 'o02' }]);
    expect(untag.refused.size).toBe(0);
    const tag = await bisectPush(subjects(4), true, fakeBatch(bad).call);
    expect(tag.gone).toEqual([]);
    expect(tag.refused.get(40003)).toEqual([{ openid: 'o02' }]);
  });

  it('stops at a failure that is not one openid’s and leaves the rest pending', async () => {
    const limit = new WechatApiError({
      api: 'tags/members/batchtagging',
      errcode: 45009,
      errmsg: 'api freq out of limit',
      category: 'RATE_LIMITED',
      retryable: true,
    });
    // The first call finds the bad openid, the second (first half) goes through, the third hits the limit.
    const { calls, call } = fakeBatch(new Map([['o07', refusal(45059, 'SUBJECT_REFUSED')]]), { call: 3, err: limit });
    const r = await bisectPush(subjects(8), true, call);
    expect(calls).toHaveLength(3);
    expect(r.error).toBe(limit);
    expect(ids(r.ok)).toEqual(['o00', 'o01', 'o02', 'o03']);
    expect(ids(r.pending)).toEqual(['o04', 'o05', 'o06', 'o07']);
    expect(r.refused.size).toBe(0);
  });

  it('does not bisect on a network failure: no openid was refused', async () => {
    const network = new WechatApiError({
      api: 'tags/members/batchtagging',
      errcode: null,
      errmsg: 'socket hang up',
      category: 'TEMPORARY',
      retryable: true,
    });
    const { calls, call } = fakeBatch(new Map(), { call: 1, err: network });
    const r = await bisectPush(subjects(6), true, call);
    expect(calls).toHaveLength(1);
    expect(r.error).toBe(network);
    expect(r.pending).toHaveLength(6);
  });
});
