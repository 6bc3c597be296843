import { NotConfiguredError } from '../../../connectors/common/http/not-configured-error';
import { WechatApiError } from '../../../connectors/common/http/wechat-api-error';
import { BindingFailedError, MAX_ATTEMPTS, classifyFailure, retryDelayMs } from '../../../src/tags/outbox/push-errors';
import { UnknownAccountError } from '../../../src/tokens/unknown-account.error';

const err = (errcode: number | null, category: WechatApiError['category'], retryAfterSeconds?: number) =>
  new WechatApiError({
    api: 'x',
    errcode,
    errmsg: '',
    category,
    retryable: false,
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  });

describe('push failure classification', () => {
  it('retries -1, 45009, 45011, 45033, network and token errors; everything else is permanent', () => {
    for (const e of [
      err(-1, 'TEMPORARY'),
      err(45009, 'RATE_LIMITED'),
      err(45011, 'RATE_LIMITED'),
      err(45033, 'RATE_LIMITED'),
      err(null, 'TEMPORARY'),
      err(42001, 'TOKEN_EXPIRED'),
    ])
      expect(classifyFailure(e).permanent).toBe(false);
    for (const e of [
      err(45059, 'SUBJECT_REFUSED'),
      err(45056, 'LIMIT_EXCEEDED'),
      err(40068, 'TAG_GONE'),
      err(84061, 'RELATION_GONE'),
      err(48002, 'PERMISSION_DENIED'),
    ])
      expect(classifyFailure(e).permanent).toBe(true);
    expect(MAX_ATTEMPTS).toBeGreaterThan(3);
  });

  it('retries a failure with no WeChat envelope whatever its category: WeChat refused nothing', () => {
    expect(classifyFailure(err(null, 'UNKNOWN'))).toMatchObject({ permanent: false, errcode: null });
  });

  it('keeps the errcode and message for the operator', () => {
    expect(classifyFailure(err(45059, 'SUBJECT_REFUSED'))).toMatchObject({
      errcode: 45059,
      message: expect.stringContaining('45059'),
    });
  });

  it('blocks the whole account only for a quota window of a minute or more, not for a per-call limit', () => {
    expect(classifyFailure(err(45009, 'RATE_LIMITED', 60))).toMatchObject({
      blocksAccount: true,
      retryAfterMs: 60_000,
    });
    expect(classifyFailure(err(45033, 'RATE_LIMITED', 1))).toMatchObject({ blocksAccount: false, retryAfterMs: 1_000 });
    expect(classifyFailure(err(45033, 'RATE_LIMITED'))).toMatchObject({ blocksAccount: false, retryAfterMs: 0 });
    expect(classifyFailure(err(-1, 'TEMPORARY', 120)).blocksAccount).toBe(false);
  });

  it('sends a failed binding, an unknown account and a missing credential to dead at once', () => {
    expect(classifyFailure(new BindingFailedError(45056, 'errcode 45056: too many tags'))).toEqual({
      permanent: true,
      errcode: 45056,
      message: 'errcode 45056: too many tags',
      retryAfterMs: 0,
      blocksAccount: false,
    });
    expect(classifyFailure(new UnknownAccountError('official-account', 'wxGone'))).toMatchObject({
      permanent: true,
      errcode: null,
    });
    expect(classifyFailure(new NotConfiguredError('ww1', 'secret'))).toMatchObject({ permanent: true, errcode: null });
  });

  it('retries anything unexpected (a database hiccup) and lets the attempt cap end it', () => {
    expect(classifyFailure(new Error('Connection lost'))).toEqual({
      permanent: false,
      errcode: null,
      message: 'Connection lost',
      retryAfterMs: 0,
      blocksAccount: false,
    });
    expect(classifyFailure('plain string').message).toBe('plain string');
  });
});

describe('push retry backoff', () => {
  const temporary = classifyFailure(err(-1, 'TEMPORARY'));

  it('backs off exponentially with full jitter on top of the wait WeChat asks for', () => {
    const f = classifyFailure(err(45011, 'RATE_LIMITED', 60));
    expect(retryDelayMs(1, f, () => 0)).toBe(60_000);
    expect(retryDelayMs(3, f, () => 0.999)).toBeLessThan(60_000 + 8_000);
    expect(retryDelayMs(3, f, () => 0.999)).toBeGreaterThan(60_000 + 7_900);
    expect(retryDelayMs(30, classifyFailure(err(-1, 'TEMPORARY')), () => 0.999)).toBeLessThanOrEqual(600_000);
  });

  it('doubles the ceiling per attempt from 2 s and caps it at 10 minutes', () => {
    const ceilings = [1, 2, 3, 4, 5, 9, 10, 30].map((a) => retryDelayMs(a, temporary, () => 1));
    expect(ceilings).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 512_000, 600_000, 600_000]);
  });

  it('spreads retries over the whole window (full jitter), never below zero', () => {
    expect(retryDelayMs(4, temporary, () => 0)).toBe(0);
    expect(retryDelayMs(4, temporary, () => 0.5)).toBe(8_000);
    expect(retryDelayMs(0, temporary, () => 1)).toBe(2_000);
  });
});
