import { WebhookRejection } from '../../common/webhook-types';

/** WeChat Pay times are RFC 3339 with a `+08:00` offset (wechat-api.md §0); the timeline stores ISO-8601 UTC. */
export function payTimeIso(rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  if (!Number.isFinite(ms)) throw new WebhookRejection(400, 'MALFORMED', 'invalid time in notification');
  return new Date(ms).toISOString();
}
