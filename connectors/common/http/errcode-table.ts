import { WechatApiError, stripRequestId, type WechatErrorCategory } from './wechat-api-error';

export interface ErrcodeRule {
  category: WechatErrorCategory;
  /** Retried by the HTTP caller with backoff (within its attempt and time budget). */
  retryable?: boolean;
  retryAfterSeconds?: number;
}

export type ErrcodeTable = ReadonlyMap<number, ErrcodeRule>;
type Entry = WechatErrorCategory | ErrcodeRule;

/** Builds a connector's table; later sources override earlier ones (connector-specific over shared). */
export function defineErrcodes(...sources: Array<Readonly<Record<number, Entry>>>): ErrcodeTable {
  const table = new Map<number, ErrcodeRule>();
  for (const source of sources) {
    for (const [code, entry] of Object.entries(source)) {
      table.set(Number(code), typeof entry === 'string' ? { category: entry } : entry);
    }
  }
  return table;
}

export function ruleFor(table: ErrcodeTable, errcode: number): ErrcodeRule {
  return table.get(errcode) ?? { category: 'UNKNOWN' };
}

export function wechatError(table: ErrcodeTable, api: string, errcode: number, errmsg: string): WechatApiError {
  const rule = ruleFor(table, errcode);
  return new WechatApiError({
    api,
    errcode,
    errmsg: stripRequestId(errmsg),
    category: rule.category,
    retryable: rule.retryable ?? false,
    ...(rule.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.retryAfterSeconds } : {}),
  });
}

/**
 * errcodes shared by the api.weixin.qq.com family (OA, MP, H5): wechat-api.md §0.1, §1, §10.
 * https://developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html
 */
export const API_WEIXIN_ERRCODES: Readonly<Record<number, Entry>> = {
  [-1]: { category: 'TEMPORARY', retryable: true },
  40001: 'TOKEN_EXPIRED',
  40014: 'TOKEN_EXPIRED',
  42001: 'TOKEN_EXPIRED',
  40002: 'INVALID_REQUEST',
  40003: 'NOT_FOUND',
  40013: 'AUTH_FAILED',
  40125: 'AUTH_FAILED',
  40164: 'AUTH_FAILED',
  40243: 'AUTH_FAILED',
  41001: 'INVALID_REQUEST',
  41002: 'INVALID_REQUEST',
  41004: 'INVALID_REQUEST',
  40029: 'INVALID_CODE',
  40163: 'INVALID_CODE',
  42003: 'INVALID_CODE',
  40032: 'INVALID_REQUEST',
  43002: 'INVALID_REQUEST',
  43003: 'INVALID_REQUEST',
  47001: 'INVALID_REQUEST',
  // Daily quota: nothing succeeds before the next day (or clear_quota), so the caller does not retry.
  45009: { category: 'RATE_LIMITED', retryAfterSeconds: 86400 },
  45011: { category: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 60 },
  45033: { category: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 1 },
  48001: 'PERMISSION_DENIED',
  48006: 'LIMIT_EXCEEDED',
  50001: 'PERMISSION_DENIED',
  50002: 'PERMISSION_DENIED',
};

/** On token endpoints 40001 means a wrong AppSecret, not a stale token: refreshing would loop. */
export const TOKEN_ENDPOINT_ERRCODES: Readonly<Record<number, Entry>> = { 40001: 'AUTH_FAILED', 40014: 'AUTH_FAILED' };
