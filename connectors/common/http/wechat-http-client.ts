import http from 'http';
import https from 'https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { fullJitterDelayMs, sleep } from './backoff';
import { defineErrcodes, wechatError, type ErrcodeRule, type ErrcodeTable } from './errcode-table';
import { httpOptions, type RetryPolicy, type WechatHttpOptions } from './http-options';
import { Semaphore } from './semaphore';
import type { TokenSource } from './token-source';
import { transportError } from './transport-error';
import { WechatApiError, type WechatErrorCategory } from './wechat-api-error';

export type QueryValue = string | number | boolean | undefined;

export interface WechatRequest {
  /** API name for errors and logs, e.g. `user/get`. */
  api: string;
  method: 'GET' | 'POST';
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  /** Shared token to put in the query (wechat-api.md §0: always the query, even on POST). */
  token?: TokenSource;
  /** Per-call errcode meanings that differ from the connector table (token endpoints). */
  errcodes?: Readonly<Record<number, WechatErrorCategory | ErrcodeRule>>;
}

/** Structural subset of pino's Logger, so connectors do not depend on src/. */
export interface HttpLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface WechatHttpClientDeps {
  baseURL: string;
  errcodes: ErrcodeTable;
  options?: Partial<WechatHttpOptions>;
  logger?: HttpLogger;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The caller every WeChat server API goes through (one instance per account): the access_token in the query,
 * "no errcode" and errcode 0 treated alike, backoff with full jitter on retryable errcodes / network errors /
 * 5xx within an attempt and time budget, a per-account concurrency cap, per-request timeouts, and one token
 * invalidation + retry on TOKEN_EXPIRED.
 */
export class WechatHttpClient {
  readonly options: WechatHttpOptions;
  private readonly axios: AxiosInstance;
  private readonly semaphore: Semaphore;

  constructor(
    private readonly deps: WechatHttpClientDeps,
    shared?: { axios: AxiosInstance; semaphore: Semaphore },
  ) {
    this.options = httpOptions(deps.options);
    this.semaphore = shared?.semaphore ?? new Semaphore(this.options.concurrency);
    const agentOptions = { keepAlive: true, maxSockets: this.options.concurrency };
    this.axios =
      shared?.axios ??
      axios.create({
        baseURL: deps.baseURL,
        timeout: this.options.timeoutMs,
        httpAgent: new http.Agent(agentOptions),
        httpsAgent: new https.Agent(agentOptions),
        validateStatus: () => true,
        responseType: 'json',
      });
  }

  /**
   * This caller with another retry policy, sharing its sockets and its concurrency cap: the account still has
   * one cap however its callers retry.
   */
  withRetry(policy: Partial<RetryPolicy>): WechatHttpClient {
    return new WechatHttpClient(
      { ...this.deps, options: { ...this.options, ...policy } },
      { axios: this.axios, semaphore: this.semaphore },
    );
  }

  /** Calls in flight right now (bounded by `options.concurrency`). */
  get inFlight(): number {
    return this.semaphore.inFlight;
  }

  async call<T extends object>(req: WechatRequest): Promise<T> {
    const started = Date.now();
    const table = req.errcodes ? new Map([...this.deps.errcodes, ...defineErrcodes(req.errcodes)]) : this.deps.errcodes;
    let failures = 0;
    let tokenRetried = false;
    for (;;) {
      const token = req.token ? await req.token.get() : undefined;
      let error: WechatApiError;
      try {
        return await this.semaphore.run(() => this.once<T>(req, table, token));
      } catch (e) {
        if (!(e instanceof WechatApiError)) throw e;
        error = e;
      }
      if (error.category === 'TOKEN_EXPIRED' && req.token && token !== undefined && !tokenRetried) {
        tokenRetried = true;
        this.deps.logger?.debug({ api: req.api, errcode: error.errcode }, 'wechat token rejected; refreshing once');
        await req.token.invalidate(token);
        continue;
      }
      failures += 1;
      if (!error.retryable || failures >= this.options.maxAttempts) throw error;
      const delay = fullJitterDelayMs(
        failures - 1,
        this.options.baseDelayMs,
        this.options.maxDelayMs,
        this.deps.random,
      );
      if (Date.now() - started + delay > this.options.budgetMs) throw error;
      this.deps.logger?.warn(
        { api: req.api, errcode: error.errcode, category: error.category, attempt: failures, delayMs: delay },
        'wechat call failed; retrying',
      );
      await (this.deps.sleep ?? sleep)(delay);
    }
  }

  private async once<T extends object>(req: WechatRequest, table: ErrcodeTable, token: string | undefined): Promise<T> {
    const params: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) params[k] = v;
    if (token !== undefined) params.access_token = token;
    let res: AxiosResponse<unknown>;
    try {
      res = await this.axios.request({
        method: req.method,
        url: req.path,
        params,
        ...(req.method === 'POST' ? { data: req.body ?? {}, headers: { 'Content-Type': 'application/json' } } : {}),
      });
    } catch (e) {
      throw transportError(req.api, e);
    }
    return parseEnvelope<T>(req.api, table, res.status, res.data);
  }
}

/** wechat-api.md §0: HTTP 200 even for errors; success bodies may omit errcode or carry errcode 0. */
export function parseEnvelope<T extends object>(api: string, table: ErrcodeTable, status: number, data: unknown): T {
  if (status >= 500) {
    throw new WechatApiError({
      api,
      errcode: null,
      errmsg: `HTTP ${status}`,
      category: 'TEMPORARY',
      retryable: true,
      httpStatus: status,
    });
  }
  if (status < 200 || status >= 300 || typeof data !== 'object' || data === null) {
    throw new WechatApiError({
      api,
      errcode: null,
      errmsg: `unexpected HTTP ${status} response`,
      category: status === 429 ? 'RATE_LIMITED' : 'UNKNOWN',
      retryable: status === 429,
      httpStatus: status,
    });
  }
  const envelope = data as { errcode?: unknown; errmsg?: unknown };
  const errcode = envelope.errcode === undefined || envelope.errcode === null ? 0 : Number(envelope.errcode);
  if (errcode !== 0) throw wechatError(table, api, errcode, typeof envelope.errmsg === 'string' ? envelope.errmsg : '');
  return data as T;
}
