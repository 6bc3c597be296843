import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { CallbackTarget, SenderDeps } from '../plugin-types';
import { callbackServiceFor, type CallbackService } from './callback.service';
import {
  externalContactBody,
  externalTagBody,
  memberChangeBody,
  mpMessageBody,
  oaEventBody,
  oaMessageBody,
  privacyEventBody,
  subscribeMsgEventBody,
  verifyUrlBody,
} from './control.schemas';
import { ControlError, parseBody } from './json-body';
import { CallbackInputError } from './oa-event.builder';
import { MessageCryptoError } from '../../connectors/common/crypto/message-crypto';

/**
 * Control API for the callback sender, mounted at `/_emulator/callbacks` (body shapes: README.md here).
 * Each trigger builds the callback, delivers it (awaiting every retry) and answers `{ delivery }` with the
 * recorded attempts and the verdict on the gateway's reply.
 */
const KINDS: Record<string, CallbackTarget['kind']> = {
  oa: 'official-account',
  'official-account': 'official-account',
  mp: 'mini-program',
  'mini-program': 'mini-program',
  wecom: 'wecom',
};

export async function controlErrors(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (e) {
    if (e instanceof ControlError) {
      ctx.status = e.status;
      ctx.body = {
        error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) },
      };
    } else if (e instanceof CallbackInputError || e instanceof MessageCryptoError) {
      ctx.status = 400;
      ctx.body = { error: { code: 'INVALID_CALLBACK_INPUT', message: e.message } };
    } else throw e;
  }
}

export function createCallbackControlRouter(
  deps: SenderDeps,
  service: CallbackService = callbackServiceFor(deps),
): Router {
  const router = new Router();
  router.use(controlErrors);

  router.post('/oa/:appId/event', async (ctx) => {
    ctx.body = { delivery: await service.oaEvent(ctx.params.appId!, await parseBody(ctx, oaEventBody)) };
  });
  router.post('/oa/:appId/message', async (ctx) => {
    ctx.body = { delivery: await service.oaMessage(ctx.params.appId!, await parseBody(ctx, oaMessageBody)) };
  });
  router.post('/mp/:appId/message', async (ctx) => {
    ctx.body = { delivery: await service.mpMessage(ctx.params.appId!, await parseBody(ctx, mpMessageBody)) };
  });
  for (const [prefix, kind] of [
    ['oa', 'official-account'],
    ['mp', 'mini-program'],
  ] as const) {
    router.post(`/${prefix}/:appId/privacy`, async (ctx) => {
      const body = await parseBody(ctx, privacyEventBody);
      ctx.body = { delivery: await service.privacyEvent(kind, ctx.params.appId!, body) };
    });
    router.post(`/${prefix}/:appId/subscribe-msg`, async (ctx) => {
      const body = await parseBody(ctx, subscribeMsgEventBody);
      ctx.body = { delivery: await service.subscribeMsgEvent(kind, ctx.params.appId!, body) };
    });
  }
  router.post('/wecom/:corpId/external-contact', async (ctx) => {
    ctx.body = {
      delivery: await service.externalContact(ctx.params.corpId!, await parseBody(ctx, externalContactBody)),
    };
  });
  router.post('/wecom/:corpId/contact', async (ctx) => {
    ctx.body = { delivery: await service.memberChange(ctx.params.corpId!, await parseBody(ctx, memberChangeBody)) };
  });
  router.post('/wecom/:corpId/external-tag', async (ctx) => {
    ctx.body = { delivery: await service.externalTag(ctx.params.corpId!, await parseBody(ctx, externalTagBody)) };
  });
  router.post('/:kind/:id/verify-url', async (ctx) => {
    const kind = KINDS[ctx.params.kind!];
    if (!kind) throw new ControlError(404, 'UNKNOWN_KIND', `kind must be one of ${Object.keys(KINDS).join(', ')}`);
    ctx.body = { delivery: await service.verifyUrl(kind, ctx.params.id!, await parseBody(ctx, verifyUrlBody)) };
  });

  router.get('/deliveries', (ctx) => {
    const kind = typeof ctx.query.kind === 'string' ? KINDS[ctx.query.kind] : undefined;
    const targetId = typeof ctx.query.targetId === 'string' ? ctx.query.targetId : undefined;
    const limit = typeof ctx.query.limit === 'string' ? Number(ctx.query.limit) : undefined;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new ControlError(400, 'INVALID_QUERY', 'limit must be a positive integer');
    ctx.body = { deliveries: service.log.list({ kind, targetId, limit }) };
  });
  router.get('/deliveries/:id', (ctx) => {
    const d = service.log.get(ctx.params.id!);
    if (!d) throw new ControlError(404, 'DELIVERY_NOT_FOUND', `no delivery ${ctx.params.id}`);
    ctx.body = { delivery: d };
  });
  router.delete('/deliveries', (ctx) => {
    service.log.clear();
    ctx.status = 204;
  });
  return router;
}
