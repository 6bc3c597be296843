import Router from '@koa/router';
import { z } from 'zod';
import { sha1Hex } from '../core/sha1';
import type { EmulatorState } from '../state';
import { ControlError, notFound, readBody } from './control-body';

/**
 * Browser-side helpers:
 *   POST /oauth/visitors {appId, personId? | userid?, consent?, snapshot?, sticky?}  queue who the next authorize
 *     visit is; `sticky: true` makes them every later visit's visitor once the queue is empty (any browser session)
 *   POST /oa/:appId/oauth-codes {personId?, scope?}                         an H5 code without a browser
 *   POST /jssdk/verify {appId, kind?: config|agentConfig, url, noncestr, timestamp, signature}
 *     checks a JS-SDK signature the way the client would (wechat-api.md §7.6, §5.12): { ok } or { ok:false,
 *     errcode } — 42012 when an agentConfig is signed with the corp ticket, 63002 for any other mismatch.
 */
export function oauthRoutes(router: Router, state: EmulatorState): void {
  router.post('/oauth/visitors', async (ctx) => {
    const b = await readBody(
      ctx,
      z.object({
        appId: z.string(),
        personId: z.number().int().min(0).optional(),
        userid: z.string().optional(),
        consent: z.boolean().default(true),
        snapshot: z.boolean().default(false),
        sticky: z.boolean().default(false),
      }),
    );
    const w = state.world;
    if (!w.oaApp(b.appId) && !w.corp(b.appId)) throw notFound('app', b.appId);
    if (b.personId !== undefined && !w.persons.exists(b.personId)) throw notFound('person', String(b.personId));
    const visitor = { personId: b.personId, userid: b.userid, consent: b.consent, snapshot: b.snapshot };
    if (b.sticky) {
      state.stickyVisitors.set(b.appId, visitor);
      ctx.body = { queued: state.visitors.get(b.appId)?.length ?? 0, sticky: true };
      return;
    }
    const queue = state.visitors.get(b.appId) ?? [];
    queue.push(visitor);
    state.visitors.set(b.appId, queue);
    ctx.body = { queued: queue.length };
  });

  router.post('/oa/:appId/oauth-codes', async (ctx) => {
    const aud = state.world.oaApp(ctx.params.appId);
    if (!aud) throw notFound('official account', ctx.params.appId!);
    const b = await readBody(
      ctx,
      z.object({
        personId: z.number().int().min(0).optional(),
        scope: z.enum(['snsapi_base', 'snsapi_userinfo']).default('snsapi_base'),
        snapshot: z.boolean().default(false),
      }),
    );
    const w = state.world;
    if (b.personId !== undefined && !w.persons.exists(b.personId)) throw notFound('person', String(b.personId));
    const person = b.personId ?? w.addPerson();
    const slot = aud.ensureSlot(person, state.now());
    aud.h5Slots.add(slot);
    const minted = state.h5Codes.mint(
      { appId: aud.app.appId, slot, scope: b.scope, snapshot: b.snapshot },
      state.now(),
    );
    ctx.body = { ...minted, openid: aud.openid(slot), personId: person };
  });

  router.post('/jssdk/verify', async (ctx) => {
    const b = await readBody(
      ctx,
      z.object({
        appId: z.string(),
        kind: z.enum(['config', 'agentConfig']).default('config'),
        url: z.string(),
        noncestr: z.string(),
        timestamp: z.union([z.string(), z.number()]),
        signature: z.string(),
      }),
    );
    const w = state.world;
    const url = b.url.split('#')[0]!;
    const signed = (ticket: string) =>
      sha1Hex(`jsapi_ticket=${ticket}&noncestr=${b.noncestr}&timestamp=${b.timestamp}&url=${url}`) === b.signature;
    const live = [...state.tickets.all.values()].filter((t) => t.expiresAt > state.now());
    const mine = (kind: string, owner: (o: string) => boolean) => live.filter((t) => t.kind === kind && owner(t.owner));
    let good: typeof live;
    let wrong: typeof live = [];
    if (w.oaApp(b.appId)) good = mine('jsapi', (o) => o.startsWith(`${b.appId}|`));
    else if (w.corp(b.appId)) {
      const corpT = mine('wecom-corp', (o) => o === b.appId);
      const agentT = mine('wecom-agent', (o) => o.startsWith(`${b.appId}|`));
      [good, wrong] = b.kind === 'config' ? [corpT, []] : [agentT, corpT];
    } else throw new ControlError(404, 'NOT_FOUND', `no app ${b.appId}`);
    if (good.some((t) => signed(t.value))) ctx.body = { ok: true };
    else ctx.body = { ok: false, errcode: wrong.some((t) => signed(t.value)) ? 42012 : 63002 };
  });
}
