import { createHmac } from 'node:crypto';

/**
 * `Siyu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (DESIGN §11), Stripe's scheme:
 * the timestamp inside the signed text lets a receiver refuse replays of an old body.
 */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}
