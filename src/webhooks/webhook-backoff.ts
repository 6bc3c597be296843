/**
 * When to try a failed delivery again: exponential from `baseSeconds`, capped at `maxSeconds`, with jitter
 * (between half and all of the delay) so many failed deliveries to one receiver do not return together. Null
 * when that time falls after the delivery's retry window: it is dead.
 */
export function nextAttemptAt(
  attempts: number,
  now: Date,
  retryUntil: Date,
  o: { baseSeconds: number; maxSeconds: number },
  random: () => number = Math.random,
): Date | null {
  const exp = Math.min(o.maxSeconds, o.baseSeconds * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  const delayMs = exp * 1000 * (0.5 + random() / 2);
  const at = new Date(now.getTime() + delayMs);
  return at.getTime() > retryUntil.getTime() ? null : at;
}
