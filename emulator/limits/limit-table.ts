import type { Product } from '../core/wx-error';

/**
 * Default call limits per API (wechat-api.md §10, §1.5, §5.13, §6.1). Keys are `host + path`, the same names
 * counters and chaos rules use. `scope` says what a counter is kept per: the app (appid), the corp, the WeCom app
 * (corp + secret), or the end user (jscode2session: 100/min per user). Unlisted WeCom APIs get the corp-wide
 * 10,000/min and 150,000/hour. Values marked [choice] are not published by WeChat.
 */
export interface LimitSpec {
  perMinute?: number;
  perHour?: number;
  perDay?: number;
  concurrency?: number;
}

const OA = 'api.weixin.qq.com';
const WECOM = 'qyapi.weixin.qq.com';
const SNS_MINUTE: LimitSpec = { perMinute: 50_000 };
export const WECOM_BASE: LimitSpec = { perMinute: 10_000, perHour: 150_000 };

export const DEFAULT_LIMITS: Record<string, LimitSpec> = {
  [`${OA}/cgi-bin/token`]: { perDay: 2000 },
  [`${OA}/cgi-bin/stable_token`]: { perMinute: 10_000, perDay: 500_000 },
  // [choice] the daily getticket quota is not published.
  [`${OA}/cgi-bin/ticket/getticket`]: { perDay: 100_000 },
  [`${OA}/cgi-bin/user/get`]: { perDay: 500 },
  [`${OA}/cgi-bin/user/info`]: { perDay: 5_000_000 },
  [`${OA}/cgi-bin/user/info/batchget`]: { perDay: 5_000_000 },
  [`${OA}/cgi-bin/user/info/updateremark`]: { perDay: 10_000 },
  [`${OA}/cgi-bin/tags/create`]: { perDay: 1000 },
  [`${OA}/cgi-bin/tags/get`]: { perDay: 1000 },
  [`${OA}/cgi-bin/tags/update`]: { perDay: 1000 },
  [`${OA}/cgi-bin/tags/delete`]: { perDay: 1000 },
  [`${OA}/cgi-bin/tags/members/batchtagging`]: { perDay: 100_000 },
  [`${OA}/cgi-bin/tags/members/batchuntagging`]: { perDay: 100_000 },
  [`${OA}/sns/oauth2/access_token`]: SNS_MINUTE,
  [`${OA}/sns/oauth2/refresh_token`]: SNS_MINUTE,
  [`${OA}/sns/userinfo`]: SNS_MINUTE,
  [`${OA}/sns/auth`]: SNS_MINUTE,
  [`${OA}/sns/jscode2session`]: { perMinute: 100 },
  [`${WECOM}/cgi-bin/get_jsapi_ticket`]: { ...WECOM_BASE, perHour: 400 },
  [`${WECOM}/cgi-bin/ticket/get`]: { ...WECOM_BASE, perHour: 100 },
};

export function defaultLimit(api: string, product: Product): LimitSpec | undefined {
  return DEFAULT_LIMITS[api] ?? (product === 'wecom' ? WECOM_BASE : undefined);
}
