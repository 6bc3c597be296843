import { nextAttemptAt } from '../../src/webhooks/webhook-backoff';
import { signatureHeader } from '../../src/webhooks/webhook-signature';
import { createHmac } from 'node:crypto';

describe('webhook backoff', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const day = new Date(now.getTime() + 24 * 3600 * 1000);
  const o = { baseSeconds: 10, maxSeconds: 3600 };

  it('doubles from the base with jitter between half and all of the delay', () => {
    expect(nextAttemptAt(1, now, day, o, () => 0)!.getTime() - now.getTime()).toBe(5_000);
    expect(nextAttemptAt(1, now, day, o, () => 1)!.getTime() - now.getTime()).toBe(10_000);
    expect(nextAttemptAt(4, now, day, o, () => 1)!.getTime() - now.getTime()).toBe(80_000);
  });

  it('never waits longer than the cap', () => {
    expect(nextAttemptAt(40, now, day, o, () => 1)!.getTime() - now.getTime()).toBe(3_600_000);
  });

  it('is dead once the next try falls after the retry window', () => {
    const soon = new Date(now.getTime() + 4_000);
    expect(nextAttemptAt(1, now, soon, o, () => 0)).toBeNull();
  });
});

describe('webhook signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>', () => {
    const h = signatureHeader('whsec_x', '{"a":1}', 1700000000);
    const v1 = createHmac('sha256', 'whsec_x').update('1700000000.{"a":1}').digest('hex');
    expect(h).toBe(`t=1700000000,v1=${v1}`);
  });
});
