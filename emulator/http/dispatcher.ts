import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import { errorEnvelope } from '../core/envelope';
import { WxError } from '../core/wx-error';
import { bodyForRecord, maskQuery } from '../limits/request-recorder';
import type { EmulatorState } from '../state';
import { authenticate } from './authenticate';
import type { Call, Endpoint } from './endpoint';

/**
 * Serves the WeChat API hosts under path prefixes named after them (`/api.weixin.qq.com/...`,
 * `/qyapi.weixin.qq.com/...`). Every error is HTTP 200 with `{errcode, errmsg}` (wechat-api.md §0, §13 item 6);
 * WeCom successes carry `errcode:0, errmsg:"ok"`, OA/MP successes are the endpoint's exact body.
 * Order per call: token → method → limits → concurrency → chaos → handler.
 */
export function createDispatcher(state: EmulatorState, hosts: Record<string, Endpoint[]>): Middleware {
  const routes = new Map<string, { host: string; endpoint: Endpoint }>();
  for (const [host, endpoints] of Object.entries(hosts)) {
    for (const e of endpoints) routes.set(`/${host}${e.path}`, { host, endpoint: e });
  }
  const prefixes = Object.keys(hosts).map((h) => `/${h}/`);
  return async (ctx, next) => {
    const route = routes.get(ctx.path);
    if (!route) {
      if (!prefixes.some((p) => ctx.path.startsWith(p))) return next();
      // An API the emulator does not serve: HTTP 404 so it shows up at once, with WeChat's closest errcode.
      ctx.status = 404;
      ctx.body = { errcode: 48001, errmsg: `api unauthorized (not emulated: ${ctx.path})` };
      return undefined;
    }
    const { host, endpoint } = route;
    const api = `${host}${endpoint.path}`;
    const started = performance.now();
    const at = state.clock.nowMs();
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(ctx.query)) if (v !== undefined) query[k] = Array.isArray(v) ? (v[0] ?? '') : v;
    const raw = ctx.method === 'POST' ? await getRawBody(ctx.req, { limit: '2mb', encoding: 'utf8' }) : '';
    let parsed: Record<string, unknown> | undefined;
    const ip = ctx.ip.replace(/^::ffff:/, '');
    const call: Call = {
      state,
      world: state.world,
      api,
      product: endpoint.product,
      method: ctx.method,
      query,
      now: state.now(),
      ip,
      origin: `${ctx.protocol}://${ctx.host}`,
      body() {
        if (parsed) return parsed;
        if (raw.trim() === '') throw new WxError(44002);
        let v: unknown;
        try {
          v = JSON.parse(raw);
        } catch {
          throw new WxError(47001);
        }
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw new WxError(47001);
        parsed = v as Record<string, unknown>;
        return parsed;
      },
      hit(scope) {
        state.limiter.hit(api, scope, endpoint.product, call.now);
      },
    };
    let errcode: number | undefined;
    let injected = false;
    let release: () => void = () => undefined;
    try {
      authenticate(call, endpoint);
      if (endpoint.method === 'POST' && ctx.method !== 'POST') throw new WxError(43002);
      const scope = call.app?.app.appId ?? call.wecom?.corp.corp.corpId ?? query.appid ?? query.corpid ?? ip;
      if (endpoint.limit !== 'handler') call.hit(scope);
      release = state.limiter.enter(api, scope, endpoint.product);
      const { latencyMs } = state.chaos.current;
      if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      const fault = state.chaos.pick(api, endpoint.product);
      if (fault !== undefined) {
        injected = true;
        throw new WxError(fault);
      }
      const result = endpoint.handle(call);
      ctx.body = endpoint.product === 'wecom' ? { errcode: 0, errmsg: 'ok', ...result } : result;
    } catch (e) {
      if (!(e instanceof WxError)) throw e;
      errcode = e.errcode;
      ctx.body = errorEnvelope(e.errcode, endpoint.product, call.now, state.rng, ip, e.detail);
    } finally {
      release();
    }
    ctx.status = 200;
    state.counters.record(api, errcode, injected);
    state.recorder.add({
      method: ctx.method,
      host,
      path: endpoint.path,
      query: maskQuery(query),
      body: bodyForRecord(raw, parsed),
      at,
      durationMs: performance.now() - started,
      status: 200,
      errcode,
    });
  };
}
