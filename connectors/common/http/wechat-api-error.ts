/**
 * What a caller can do about a failed WeChat call. Branching is on the category (derived from the errcode table
 * of the connector), never on the errcode or errmsg text (wechat-api.md §0: errmsg carries a per-request ` rid:`
 * suffix); the errcode is kept for logs and for what an operator is shown.
 */
export type WechatErrorCategory =
  | 'TOKEN_EXPIRED'
  | 'AUTH_FAILED'
  | 'RATE_LIMITED'
  | 'TEMPORARY'
  | 'INVALID_REQUEST'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'LIMIT_EXCEEDED'
  | 'INVALID_CODE'
  | 'CONFLICT'
  /** The user named (an openid) is not, or no longer, this account's: WeChat holds nothing for it. */
  | 'SUBJECT_GONE'
  /** WeChat refuses this one user, not the call: a user already at the 20-tag limit. */
  | 'SUBJECT_REFUSED'
  /** No contact relation left between the member and the external contact, or no such contact in this corp. */
  | 'RELATION_GONE'
  /** The remote tag named was deleted in WeChat (or never existed). */
  | 'TAG_GONE'
  /** A paging cursor WeChat no longer accepts: restart the walk from the beginning. */
  | 'CURSOR_EXPIRED'
  /** WeChat answers this read only when narrowed by a filter (an owner list): ask again filtered. */
  | 'FILTER_REQUIRED'
  | 'UNKNOWN';

export interface WechatApiErrorInit {
  /** The API name, e.g. `user/get` (never the URL: it would carry the access_token). */
  api: string;
  /** WeChat errcode; null when WeChat never answered with an envelope (network error, timeout, HTTP 5xx). */
  errcode: number | null;
  errmsg: string;
  category: WechatErrorCategory;
  retryable: boolean;
  /** How long WeChat wants us to stay away (rate limits); a hint for queues that reschedule work. */
  retryAfterSeconds?: number;
  httpStatus?: number;
  /** Non-numeric error code of APIs that do not use errcode (WeChat Pay v3 `code`). */
  remoteCode?: string;
  cause?: unknown;
}

export class WechatApiError extends Error {
  readonly code: WechatErrorCategory;
  readonly api: string;
  readonly errcode: number | null;
  readonly errmsg: string;
  readonly category: WechatErrorCategory;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly httpStatus?: number;
  readonly remoteCode?: string;

  constructor(init: WechatApiErrorInit) {
    const what =
      init.errcode !== null ? `errcode ${init.errcode}` : (init.remoteCode ?? `http ${init.httpStatus ?? 'error'}`);
    super(`${init.api}: ${what} ${init.errmsg}`.trim(), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'WechatApiError';
    this.code = init.category;
    this.api = init.api;
    this.errcode = init.errcode;
    this.errmsg = init.errmsg;
    this.category = init.category;
    this.retryable = init.retryable;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.remoteCode !== undefined) this.remoteCode = init.remoteCode;
  }
}

export function isWechatApiError(e: unknown): e is WechatApiError {
  return e instanceof WechatApiError;
}

/**
 * Drops the per-request suffix so errmsg values can be logged and compared: OA/MP ` rid: …` (older
 * ` hint: [...]`), WeCom `, hint: [...], from ip: …, more info at https://…`.
 */
export function stripRequestId(errmsg: string): string {
  return errmsg.replace(/\s*,?\s*(?:rid:|hint:\s*\[)[\s\S]*$/u, '').trim();
}

/**
 * A request the connector refuses before calling WeChat, by a rule WeChat documents (so a caller's bug never
 * spends quota): the errcode WeChat would answer, INVALID_REQUEST, never retried.
 */
export function refusedRequest(api: string, errcode: number, errmsg: string): WechatApiError {
  return new WechatApiError({ api, errcode, errmsg, category: 'INVALID_REQUEST', retryable: false });
}
