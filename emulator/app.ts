import Koa from 'koa';
import { tokenEndpoints } from './api/oa/token.api';
import { tagEndpoints } from './api/oa/tags.api';
import { qrcodeEndpoints } from './api/oa/qrcode.api';
import { tagMemberEndpoints } from './api/oa/tag-members.api';
import { userEndpoints } from './api/oa/user.api';
import { miniProgramEndpoints } from './api/mp/mini-program.api';
import { snsEndpoints } from './api/h5/sns-oauth.api';
import { batchEndpoints } from './api/wecom/batch.api';
import { contactEndpoints } from './api/wecom/contact.api';
import { contactWayEndpoints } from './api/wecom/contact-way.api';
import { directoryEndpoints } from './api/wecom/directory.api';
import { transferEndpoints } from './api/wecom/transfer.api';
import { corpTagEndpoints } from './api/wecom/corp-tag.api';
import { groupChatEndpoints } from './api/wecom/groupchat.api';
import { idconvertEndpoints } from './api/wecom/idconvert.api';
import { markTagEndpoints } from './api/wecom/mark-tag.api';
import { wecomOauthEndpoints } from './api/wecom/oauth.api';
import { wecomTokenEndpoints } from './api/wecom/token.api';
import type { Clock } from './clock';
import { createControlRouter } from './control/control.router';
import { createDispatcher } from './http/dispatcher';
import { createJssdkRouter } from './jssdk/jssdk.router';
import { createAuthorizePage } from './oauth/authorize.page';
import { createWebLoginPage } from './oauth/web-login.page';
import { createContactWayQrPage } from './qrcode/contact-way-qr.page';
import { createShowQrCodePage } from './qrcode/showqrcode.page';
import type { WorldOptionsInput } from './options';
import { mountSenders, senderDeps } from './plugins';
import type { SenderDeps } from './plugin-types';
import { EmulatorState } from './state';

export type EmulatorOptions = WorldOptionsInput & { clock?: Clock };

/**
 * The emulator's koa app (never listens; server.ts does). Each WeChat host is a path prefix named after it, so an
 * account's apiBase can point here: `/api.weixin.qq.com` (OA, MP, H5), `/qyapi.weixin.qq.com`,
 * `/open.weixin.qq.com` (OAuth pages), `/login.work.weixin.qq.com` (WeCom Web login), `/mp.weixin.qq.com` and `/wework.qpic.cn` (QR code images), `/api.mch.weixin.qq.com` (Pay); the control API is under `/_emulator`.
 */
export function createEmulatorApp(options: EmulatorOptions = {}): { app: Koa; state: EmulatorState; deps: SenderDeps } {
  const { clock, ...world } = options;
  const state = new EmulatorState(world, clock);
  const app = new Koa();
  app.proxy = false;
  app.use(
    createDispatcher(state, {
      'api.weixin.qq.com': [
        ...tokenEndpoints,
        ...userEndpoints,
        ...tagEndpoints,
        ...tagMemberEndpoints,
        ...qrcodeEndpoints,
        ...miniProgramEndpoints,
        ...snsEndpoints,
      ],
      'qyapi.weixin.qq.com': [
        ...wecomTokenEndpoints,
        ...contactEndpoints,
        ...directoryEndpoints,
        ...batchEndpoints,
        ...groupChatEndpoints,
        ...contactWayEndpoints,
        ...transferEndpoints,
        ...corpTagEndpoints,
        ...markTagEndpoints,
        ...wecomOauthEndpoints,
        ...idconvertEndpoints,
      ],
    }),
  );
  app.use(createAuthorizePage(state));
  app.use(createWebLoginPage(state));
  app.use(createShowQrCodePage(state));
  app.use(createContactWayQrPage(state));
  const jssdk = createJssdkRouter(state);
  app.use(jssdk.routes());
  const deps = senderDeps(state);
  const control = createControlRouter(state, deps);
  control.prefix('/_emulator');
  app.use(control.routes());
  app.use(control.allowedMethods());
  mountSenders(app, deps);
  return { app, state, deps };
}
