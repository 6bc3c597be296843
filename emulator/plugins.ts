import type Koa from 'koa';
import { createCallbackControlRouter } from './callbacks/control.router';
import { createPayApiRouter } from './pay/api.router';
import { createPayControlRouter } from './pay/control.router';
import type { CallbackTarget, PayMerchant, SenderDeps } from './plugin-types';
import type { EmulatorState } from './state';

/**
 * The senders' view of the app registry (plugin-types.ts). Lookups go through `state.world` at call time, so a
 * reset re-seeds without re-wiring; the deps object itself stays the same (the senders key their logs on it).
 */
export function senderDeps(state: EmulatorState): SenderDeps {
  return {
    clock: state.clock,
    resolveTarget(kind, id): CallbackTarget | undefined {
      const w = state.world;
      if (kind === 'wecom') {
        const c = w.corpConfig(id);
        return (
          c && {
            kind,
            id: c.corpId,
            token: c.token,
            encodingAESKey: c.encodingAESKey,
            mode: 'safe',
            format: 'xml',
            url: c.url,
          }
        );
      }
      const app = kind === 'official-account' ? w.oaApp(id)?.app : w.mpApp(id)?.app;
      if (!app) return undefined;
      return {
        kind,
        id: app.appId,
        token: app.token,
        encodingAESKey: app.encodingAESKey,
        mode: app.callbackMode,
        format: app.format,
        originalId: app.originalId,
        url: app.url,
      };
    },
    resolveMerchant(mchId): PayMerchant | undefined {
      const m = state.world.registry.merchants.find((x) => x.mchId === mchId);
      return m && { mchId: m.mchId, appId: m.appId, apiV3Key: m.apiV3Key, notifyUrl: m.notifyUrl };
    },
  };
}

/** Mounts the callback sender's and the Pay notifier's routers (emulator/callbacks, emulator/pay). */
export function mountSenders(app: Koa, deps: SenderDeps): void {
  const callbacks = createCallbackControlRouter(deps);
  callbacks.prefix('/_emulator/callbacks');
  const payControl = createPayControlRouter(deps);
  payControl.prefix('/_emulator/pay');
  const payApi = createPayApiRouter(deps);
  payApi.prefix('/api.mch.weixin.qq.com');
  app.use(callbacks.routes()).use(callbacks.allowedMethods());
  app.use(payControl.routes()).use(payControl.allowedMethods());
  app.use(payApi.routes()).use(payApi.allowedMethods());
}
