import { AnonymousRateLimit } from '../../src/track/anonymous-rate-limit';

/** Fixed-window limits of anonymous tracking (src/track/anonymous-rate-limit.ts). */
describe('the anonymous tracking rate limit', () => {
  it('refuses past the limit per visitor and per address within a window, and starts over with the next', () => {
    let now = 1_000_000;
    const limit = new AnonymousRateLimit({ windowMs: 10_000, perVisitor: 2, perAddress: 3 }, () => now);
    limit.visitor('a');
    limit.visitor('a');
    expect(() => limit.visitor('a')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    limit.visitor('b');
    for (let i = 0; i < 3; i++) limit.address('10.0.0.1');
    let refusal: unknown;
    try {
      limit.address('10.0.0.1');
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 10 } });
    limit.address('10.0.0.2');
    now += 10_000;
    expect(() => limit.visitor('a')).not.toThrow();
    expect(() => limit.address('10.0.0.1')).not.toThrow();
  });
});
