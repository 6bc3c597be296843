import type { Product } from '../core/wx-error';
import type { EmulatorState } from '../state';
import type { AppToken } from '../tokens/app-tokens';
import type { WecomToken } from '../tokens/wecom-tokens';
import type { WxApp } from '../world/apps';
import type { WecomCorp } from '../world/wecom-corp';
import type { World } from '../world/world';

/**
 * One WeChat server API as data: where it lives, which method and token it needs, and a handler returning the
 * success body. The dispatcher does the rest the same way for all of them (token, method, limits, chaos,
 * envelope, counters, recording).
 */
export interface Call {
  state: EmulatorState;
  world: World;
  api: string;
  product: Product;
  method: string;
  query: Record<string, string>;
  now: number;
  ip: string;
  /** Scheme and host the caller reached the emulator at: the base of URLs to images it serves (a way's qr_code). */
  origin: string;
  /** The JSON object body; 44002 when empty, 47001 when not a JSON object. */
  body(): Record<string, unknown>;
  /** Counts this call against the API's limits for a scope (endpoints with `limit: 'handler'`). */
  hit(scope: string): void;
  app?: AppCaller;
  wecom?: WecomCaller;
}

export interface AppCaller {
  app: WxApp;
  token: AppToken;
}

export interface WecomCaller {
  corp: WecomCorp;
  token: WecomToken;
}

export interface Endpoint {
  path: string;
  method: 'GET' | 'POST' | 'ANY';
  product: Product;
  auth: 'none' | 'app' | 'wecom';
  /** App kinds whose tokens may call it (48001 otherwise); default both. */
  appKinds?: readonly WxApp['kind'][];
  /** Needs a token of an app listed under 客户联系 (48002 otherwise, wechat-api.md §5). */
  externalContact?: boolean;
  /** `auto`: counted per app/corp once authenticated; `handler`: the handler calls `call.hit`. */
  limit?: 'auto' | 'handler';
  handle(call: Call): object;
}

export function appOf(call: Call): AppCaller {
  if (!call.app) throw new Error(`${call.api} has no app caller`);
  return call.app;
}

export function corpOf(call: Call): WecomCaller {
  if (!call.wecom) throw new Error(`${call.api} has no WeCom caller`);
  return call.wecom;
}
