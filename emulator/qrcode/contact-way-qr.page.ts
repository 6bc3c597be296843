import type { Middleware } from 'koa';
import type { EmulatorState } from '../state';
import { serveQrPng } from './showqrcode.page';

/** The path prefix of a contact way's `qr_code` (WeChat's image host `wework.qpic.cn`, served here). */
export const CONTACT_WAY_QR_PREFIX = '/wework.qpic.cn/wwpic/';

/**
 * `wework.qpic.cn/wwpic/<id>/0` — the QR image add_contact_way answers as `qr_code` for a QR-scene way
 * (wechat-api-wecom-ops.md §3), no token needed. A real QR image encoding a 「联系我」 link for the way
 * (`work.weixin.qq.com/ca/<config_id>` [choice]); a deleted or unknown way's image is HTTP 404.
 * https://developer.work.weixin.qq.com/document/path/92228
 */
export function createContactWayQrPage(state: EmulatorState): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith(CONTACT_WAY_QR_PREFIX)) return next();
    const way = state.world.wecom
      .flatMap((corp) => [...corp.contactWays.ways.values()])
      .find((w) => w.qrCode !== undefined && new URL(w.qrCode).pathname === ctx.path);
    await serveQrPng(ctx, way && `https://work.weixin.qq.com/ca/${way.configId}`, 'not found');
  };
}
