import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../services';
import { miniProgramAccount, MpLoginService } from '../../mp/mp-login.service';
import { MpPhoneService } from '../../mp/mp-phone.service';
import { visitorOf } from '../../track/visitor-auth';
import { validationFailed } from '../http-error';
import { jsonBody } from '../middleware/json-body';

const codeBody = z.object({ code: z.string().min(1).max(512) });
const loginBody = codeBody.extend({ anonymousId: z.string().max(64).optional() });
/** `{code}` bodies are tiny; anything bigger is not a Mini Program talking to us. */
const MAX_BODY_BYTES = 4096;

function codeOf(body: unknown): string {
  const parsed = codeBody.safeParse(body);
  if (!parsed.success)
    throw validationFailed(
      'body must be { code } with the code from the Mini Program',
      parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
    );
  return parsed.data.code;
}

/**
 * Mini Program front door (DESIGN §8.2):
 *   POST /mp/:appId/login {code, anonymousId?}            → { customerId, openid, unionid?, token }
 *   POST /mp/:appId/phone {code}, Authorization: Bearer   → { customerId, phone (masked), verified }
 * The account is checked before the body is read (unknown appId → 404), the token before the phone body.
 */
export function mpRouter(app: Services): Router {
  const router = new Router();
  const doors = app.frontDoors;
  const deps = {
    ds: app.ds,
    config: app.config,
    mp: (appId: string) => doors.clients.mp(appId),
    identity: doors.identity,
    tokens: doors.tokens,
  };
  const logins = new MpLoginService(deps);
  const phones = new MpPhoneService(deps);
  const body = jsonBody(MAX_BODY_BYTES);

  router.post(
    '/mp/:appId/login',
    async (ctx, next) => {
      miniProgramAccount(app.config, ctx.params.appId!);
      await next();
    },
    body,
    async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      const parsed = loginBody.safeParse(ctx.request.body);
      if (!parsed.success)
        throw validationFailed(
          'body must be { code, anonymousId? } with the code from the Mini Program',
          parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
        );
      ctx.body = await logins.login(ctx.params.appId!, parsed.data.code, parsed.data.anonymousId);
    },
  );

  router.post(
    '/mp/:appId/phone',
    async (ctx, next) => {
      miniProgramAccount(app.config, ctx.params.appId!);
      ctx.state.visitor = visitorOf(ctx, doors.tokens);
      await next();
    },
    body,
    async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await phones.link(ctx.params.appId!, ctx.state.visitor!, codeOf(ctx.request.body));
    },
  );

  return router;
}
