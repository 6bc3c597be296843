import { WebhookRejection } from '../../common/webhook-types';

const MAX_DATETIME_MS = Date.UTC(10000, 0, 1);

/** WeChat Pay times are RFC 3339 with a `+08:00` offset (wechat-api.md §0); the timeline stores ISO-8601 UTC. */
export function payTimeIso(rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  // Years past 9999 parse in JS but fit no DATETIME column.
  if (!Number.isFinite(ms) || ms < 0 || ms >= MAX_DATETIME_MS)
    throw new WebhookRejection(400, 'MALFORMED', 'invalid time in notification');
  return new Date(ms).toISOString();
}
