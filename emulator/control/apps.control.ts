import Router from '@koa/router';
import { z } from 'zod';
import { SIMULATOR_PATH } from '../jssdk/jssdk.router';
import type { EmulatorState } from '../state';
import type { Corp, WxApp } from '../world/apps';
import { notFound, readBody } from './control-body';

/**
 * The app registry with credentials, and ready-made gateway account entries (config §8.1 shape) pointing at this
 * emulator, so a gateway config can be generated: GET /apps. PATCH /apps/:id changes one app's settings
 * (callback mode/format/URL, open-platform binding, verified, IP allow-list, OAuth domain, WeCom agent permission).
 */
function wxAppView(a: WxApp, count: number): Record<string, unknown> {
  return {
    kind: a.kind,
    appId: a.appId,
    name: a.name,
    appSecret: a.appSecret,
    token: a.token,
    encodingAESKey: a.encodingAESKey,
    originalId: a.originalId,
    bound: a.openPlatform !== undefined,
    openPlatformId: a.openPlatform?.id ?? null,
    callbackMode: a.callbackMode,
    format: a.format,
    url: a.url ?? null,
    verified: a.verified,
    ipWhitelist: a.ipWhitelist,
    oauthDomain: a.oauthDomain ?? null,
    [a.kind === 'official-account' ? 'followers' : 'users']: count,
  };
}

function corpView(c: Corp, staff: number, customers: number): Record<string, unknown> {
  return {
    kind: 'wecom',
    corpId: c.corpId,
    name: c.name,
    contactSecret: c.contactApp.secret,
    agentId: c.agentApp.agentId,
    agentSecret: c.agentApp.secret,
    directorySecret: c.directoryApp.secret,
    agentExternalContact: c.agentApp.externalContact,
    trustedDomain: c.trustedDomain ?? null,
    token: c.token,
    encodingAESKey: c.encodingAESKey,
    bound: c.openPlatform !== undefined,
    openPlatformId: c.openPlatform?.id ?? null,
    url: c.url ?? null,
    staff,
    customers,
  };
}

/** Gateway `accounts` entries for this emulator (`base` = the emulator's origin). */
export function gatewayAccounts(state: EmulatorState, base: string): Record<string, unknown>[] {
  const r = state.world.registry;
  const api = `${base}/api.weixin.qq.com`;
  const oauthBase = `${base}/open.weixin.qq.com`;
  const crypto = (a: WxApp) => (a.callbackMode === 'plaintext' ? {} : { encodingAESKey: a.encodingAESKey });
  const op = (a: { openPlatform: unknown }) => (a.openPlatform ? { openPlatformId: r.openPlatform.id } : {});
  return [
    ...r.officialAccounts.map((a) => ({
      kind: a.kind,
      name: a.name,
      appId: a.appId,
      appSecret: a.appSecret,
      token: a.token,
      ...crypto(a),
      originalId: a.originalId,
      ...op(a),
      apiBase: api,
      oauthBase,
      mpBase: `${base}/mp.weixin.qq.com`,
    })),
    ...r.miniPrograms.map((a) => ({
      kind: a.kind,
      name: a.name,
      appId: a.appId,
      appSecret: a.appSecret,
      token: a.token,
      ...crypto(a),
      messageFormat: a.format,
      ...op(a),
      apiBase: api,
    })),
    ...r.corps.map((c) => ({
      kind: 'wecom',
      name: c.name,
      corpId: c.corpId,
      contactSecret: c.contactApp.secret,
      agentId: c.agentApp.agentId,
      agentSecret: c.agentApp.secret,
      directorySecret: c.directoryApp.secret,
      token: c.token,
      encodingAESKey: c.encodingAESKey,
      ...op(c),
      apiBase: `${base}/qyapi.weixin.qq.com`,
      oauthBase,
      loginBase: `${base}/login.work.weixin.qq.com`,
      jsSdkUrl: `${base}${SIMULATOR_PATH}`,
    })),
  ];
}

export function appsSummary(state: EmulatorState, base: string | undefined): Record<string, unknown> {
  const w = state.world;
  return {
    seed: state.options.seed,
    openPlatformId: w.registry.openPlatform.id,
    persons: w.persons.count,
    officialAccounts: w.oa.map((a) => wxAppView(a.app, a.subscribedCount)),
    miniPrograms: w.mp.map((a) => wxAppView(a.app, a.size)),
    corps: w.wecom.map((c) => corpView(c.corp, c.staff.length, c.customerCount)),
    merchants: w.registry.merchants.map((m) => ({ ...m, notifyUrl: m.notifyUrl ?? null })),
    ...(base ? { accounts: gatewayAccounts(state, base) } : {}),
  };
}

const patchBody = z
  .object({
    callbackMode: z.enum(['plaintext', 'compatible', 'safe']).optional(),
    format: z.enum(['xml', 'json']).optional(),
    url: z.string().url().nullable().optional(),
    bound: z.boolean().optional(),
    verified: z.boolean().optional(),
    ipWhitelist: z.array(z.string()).optional(),
    oauthDomain: z.string().nullable().optional(),
    agentExternalContact: z.boolean().optional(),
  })
  .strict();

export function appsRoutes(router: Router, state: EmulatorState): void {
  router.get('/apps', (ctx) => {
    ctx.body = appsSummary(state, `${ctx.protocol}://${ctx.host}`);
  });
  router.patch('/apps/:id', async (ctx) => {
    const b = await readBody(ctx, patchBody);
    const w = state.world;
    const id = ctx.params.id!;
    const op = w.registry.openPlatform;
    const app = w.wxApp(id);
    if (app) {
      if (b.callbackMode) app.callbackMode = b.callbackMode;
      if (b.format) app.format = b.format;
      if (b.url !== undefined) app.url = b.url ?? undefined;
      if (b.bound !== undefined) app.openPlatform = b.bound ? op : undefined;
      if (b.verified !== undefined) app.verified = b.verified;
      if (b.ipWhitelist) app.ipWhitelist = b.ipWhitelist;
      if (b.oauthDomain !== undefined) app.oauthDomain = b.oauthDomain ?? undefined;
      ctx.body = wxAppView(app, w.oaApp(id)?.subscribedCount ?? w.mpApp(id)?.size ?? 0);
      return;
    }
    const corp = w.corp(id);
    if (!corp) throw notFound('app', id);
    if (b.url !== undefined) corp.corp.url = b.url ?? undefined;
    if (b.bound !== undefined) corp.corp.openPlatform = b.bound ? op : undefined;
    if (b.agentExternalContact !== undefined) corp.corp.agentApp.externalContact = b.agentExternalContact;
    if (b.oauthDomain !== undefined) corp.corp.trustedDomain = b.oauthDomain ?? undefined;
    ctx.body = corpView(corp.corp, corp.staff.length, corp.customerCount);
  });
}
