import Router from '@koa/router';
import { z } from 'zod';
import { worldOptionsSchema } from '../options';
import type { EmulatorState } from '../state';
import { readBody, queryInt, queryString } from './control-body';

/**
 * Operations: reset/seed, the clock, chaos, limits, call counters and recorded requests.
 *   POST /reset {seed, followers, …}          re-seed (options of options.ts); answers the apps summary
 *   GET  /clock · POST /clock/advance {seconds}
 *   GET/POST /chaos {seed, rules:[{api, errcode|"rate_limit", rate}], latencyMs}
 *   GET/POST /limits {api, perMinute?, perHour?, perDay?, concurrency?} (0 removes a limit) · {reset:true}
 *   GET /counters · DELETE /counters
 *   GET /requests?path=&host=&since=&limit= · DELETE /requests
 */
const chaosBody = z.object({
  seed: z.number().int().min(0).default(1),
  rules: z
    .array(
      z.object({
        api: z.string().min(1).default('*'),
        errcode: z.union([z.number().int(), z.literal('rate_limit')]),
        rate: z.number().min(0).max(1),
      }),
    )
    .default([]),
  latencyMs: z.number().int().min(0).max(10_000).default(0),
});

const limitBody = z.union([
  z.object({ reset: z.literal(true) }),
  z.object({
    api: z.string().min(1),
    perMinute: z.number().int().min(0).optional(),
    perHour: z.number().int().min(0).optional(),
    perDay: z.number().int().min(0).optional(),
    concurrency: z.number().int().min(0).optional(),
  }),
]);

export function opsRoutes(router: Router, state: EmulatorState, summary: () => unknown): void {
  router.post('/reset', async (ctx) => {
    const options = await readBody(ctx, worldOptionsSchema.partial().strict());
    state.reset({ ...options, gatewayUrl: options.gatewayUrl ?? state.options.gatewayUrl });
    ctx.body = summary();
  });

  const clock = () => ({ now: state.now(), nowMs: state.clock.nowMs(), offsetSeconds: state.clock.offsetSeconds });
  router.get('/clock', (ctx) => {
    ctx.body = clock();
  });
  router.post('/clock/advance', async (ctx) => {
    const { seconds } = await readBody(
      ctx,
      z.object({
        seconds: z
          .number()
          .min(0)
          .max(10 * 365 * 86_400),
      }),
    );
    state.clock.advance(seconds);
    ctx.body = clock();
  });

  router.get('/chaos', (ctx) => {
    ctx.body = { ...state.chaos.current, injected: state.chaos.injected };
  });
  router.post('/chaos', async (ctx) => {
    state.chaos.set(await readBody(ctx, chaosBody));
    ctx.body = { ...state.chaos.current, injected: 0 };
  });

  router.get('/limits', (ctx) => {
    ctx.body = { overrides: state.limiter.overridesList() };
  });
  router.post('/limits', async (ctx) => {
    const b = await readBody(ctx, limitBody);
    if ('reset' in b) state.limiter.clearOverrides();
    else {
      const { api, ...spec } = b;
      state.limiter.override(api, spec);
    }
    ctx.body = { overrides: state.limiter.overridesList() };
  });

  router.get('/counters', (ctx) => {
    ctx.body = { counters: state.counters.snapshot() };
  });
  router.delete('/counters', (ctx) => {
    state.counters.reset();
    ctx.status = 204;
  });

  router.get('/requests', (ctx) => {
    const since = queryString(ctx, 'since');
    ctx.body = {
      requests: state.recorder.list({
        path: queryString(ctx, 'path'),
        host: queryString(ctx, 'host'),
        since: since === undefined ? undefined : queryInt(ctx, 'since', 0),
        limit: queryInt(ctx, 'limit', 0, 100_000) || undefined,
      }),
    };
  });
  router.delete('/requests', (ctx) => {
    state.recorder.clear();
    ctx.status = 204;
  });
}
