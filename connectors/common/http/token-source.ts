/**
 * The seam between connectors (which know WeChat) and the core token manager (which knows the database):
 * a connector describes how to fetch a token; the manager stores, shares and refreshes it and hands callers a
 * TokenSource.
 */
export interface TokenSource {
  /** A token valid for at least the manager's refresh buffer. */
  get(): Promise<string>;
  /**
   * `failedToken` was rejected with 40001/40014/42001. Refreshes only if it is still the stored token
   * (another caller may already have replaced it), so a burst of failures costs one refresh.
   */
  invalidate(failedToken: string): Promise<void>;
}

export interface TokenFetchResult {
  value: string;
  expiresInSeconds: number;
}

/** Token kinds kept in `access_tokens` (column `kind`). */
export type TokenKind =
  | 'oa_access_token'
  | 'mp_access_token'
  | 'wecom_access_token'
  | 'oa_jsapi_ticket'
  | 'wecom_jsapi_ticket'
  | 'wecom_agent_ticket';

export interface TokenDefinition {
  /** The WeChat app the token belongs to: appId or corpId (column `account`). */
  account: string;
  kind: TokenKind;
  /** Distinguishes several tokens of one kind (WeCom: one per secret), column `token_key`; never the secret. */
  key: string;
  /**
   * `force`: the stored token was rejected; ask WeChat for a new one even if it would hand back the current
   * one (stable_token `force_refresh: true`).
   */
  fetch(options: { force: boolean }): Promise<TokenFetchResult>;
}
