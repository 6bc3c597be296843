import type { Context, Middleware } from 'koa';
import QRCode from 'qrcode';
import type { EmulatorState } from '../state';

/**
 * `mp.weixin.qq.com/cgi-bin/showqrcode?ticket=` — the image of a parametric QR code, no token needed. A real QR
 * image encoding the code's `url`, so a test or an operator's phone reads back what WeChat's would; an unknown or
 * expired ticket is HTTP 404, as the doc says for an invalid one. (WeChat serves JPEG; a PNG carries the same
 * code and is what the console offers for download.)
 * https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html
 */
export function createShowQrCodePage(state: EmulatorState): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/mp.weixin.qq.com/cgi-bin/showqrcode') return next();
    const ticket = typeof ctx.query.ticket === 'string' ? ctx.query.ticket : '';
    const now = state.now();
    const code =
      ticket === ''
        ? undefined
        : state.world.oa.map((aud) => aud.qrcodes.live(ticket, now)).find((c) => c !== undefined);
    await serveQrPng(ctx, code?.url, 'invalid ticket');
  };
}

/**
 * The image as WeChat's is drawn: 430 px, error correction M. Its rows are unfiltered: pngjs's adaptive filter search
 * runs row by row in JS and takes seconds where a test runner sandboxes the module (the gateway's image fetch then
 * timed out); deflate alone keeps a two-colour image small.
 */
const UNFILTERED_ROWS = { deflateLevel: 9, filterType: 0 };
export const QR_PNG_OPTIONS = {
  type: 'png',
  errorCorrectionLevel: 'M',
  margin: 2,
  width: 430,
  rendererOpts: UNFILTERED_ROWS,
} satisfies QRCode.QRCodeToBufferOptions;

/** A PNG QR image of `text` as the image hosts serve it, or HTTP 404 with `missing` when there is none. */
export async function serveQrPng(ctx: Context, text: string | undefined, missing: string): Promise<void> {
  if (text === undefined) {
    ctx.status = 404;
    ctx.type = 'text/plain';
    ctx.body = missing;
    return;
  }
  ctx.type = 'image/png';
  ctx.body = await QRCode.toBuffer(text, QR_PNG_OPTIONS);
}
