import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { z } from 'zod';
import { controlErrorHandler, notFound, readBody } from '../control/control-body';
import type { EmulatorState } from '../state';
import { CONTEXT_ENTRIES, CurrentChats } from './current-chat';
import { checkJssdkSignature } from './signature-check';
import { SIMULATOR_SCRIPT } from './simulator-script';

/** Where an account's `jsSdkUrl` points (gatewayAccounts puts it in the generated entries). */
export const SIMULATOR_PATH = '/_emulator/jssdk/wx.js';

/**
 * The JS-SDK simulator (wechat-api.md §5.12):
 *   GET  /_emulator/jssdk/wx.js                          the script a page loads instead of jweixin + jwxwork
 *   POST /_emulator/jssdk/check {kind, corpid, agentid?, url, noncestr, timestamp, signature}
 *                                                         { ok } or { ok:false, errcode, errmsg } (the script's call)
 *   GET  /_emulator/jssdk/context?corpId=                 { entry, userid?, externalUserId? } (the script's call)
 *   POST /_emulator/wecom/:corpId/current-chat {userid, externalUserId, entry?}   the chat open in the client
 *   GET  /_emulator/wecom/:corpId/current-chat · DELETE  read / close it
 * The script runs inside the gateway's page, another origin: its two calls answer CORS for any origin.
 */
export function createJssdkRouter(state: EmulatorState): Router {
  const chats = new CurrentChats();
  const router = new Router({ prefix: '/_emulator' });
  router.use(controlErrorHandler);

  router.get('/jssdk/wx.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.body = SIMULATOR_SCRIPT;
  });

  router.options(['/jssdk/check', '/jssdk/context'], cors, (ctx) => {
    ctx.status = 204;
  });

  router.post('/jssdk/check', cors, async (ctx) => {
    const b = await readBody(
      ctx,
      z.object({
        kind: z.enum(['config', 'agentConfig']),
        corpid: z.string(),
        agentid: z.union([z.string(), z.number()]).optional(),
        url: z.string(),
        noncestr: z.string(),
        timestamp: z.union([z.string(), z.number()]),
        signature: z.string(),
      }),
    );
    ctx.body = checkJssdkSignature(state, b);
  });

  router.get('/jssdk/context', cors, (ctx) => {
    const corpId = typeof ctx.query.corpId === 'string' ? ctx.query.corpId : '';
    if (!state.world.corp(corpId)) throw notFound('corp', corpId);
    const chat = chats.get(corpId);
    ctx.body = chat ?? { entry: 'normal' };
  });

  router.post('/wecom/:corpId/current-chat', async (ctx) => {
    const corp = state.world.corp(ctx.params.corpId);
    if (!corp) throw notFound('corp', ctx.params.corpId!);
    const b = await readBody(
      ctx,
      z
        .object({
          userid: z.string(),
          externalUserId: z.string(),
          entry: z.enum(CONTEXT_ENTRIES).default('single_chat_tools'),
        })
        .strict(),
    );
    if (!corp.staffByUserid.has(b.userid)) throw notFound('userid', b.userid);
    if (corp.slotOf(b.externalUserId) < 0) throw notFound('external_userid', b.externalUserId);
    chats.set(corp.corp.corpId, b);
    ctx.body = b;
  });

  router.get('/wecom/:corpId/current-chat', (ctx) => {
    const corpId = ctx.params.corpId!;
    if (!state.world.corp(corpId)) throw notFound('corp', corpId);
    ctx.body = chats.get(corpId) ?? { entry: 'normal' };
  });

  router.delete('/wecom/:corpId/current-chat', (ctx) => {
    const corpId = ctx.params.corpId!;
    if (!state.world.corp(corpId)) throw notFound('corp', corpId);
    chats.clear(corpId);
    ctx.status = 204;
  });
  return router;
}

async function cors(ctx: Context, next: Next): Promise<void> {
  ctx.set('Access-Control-Allow-Origin', '*');
  ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  ctx.set('Access-Control-Allow-Headers', 'content-type');
  await next();
}
