import { randomUUID } from 'crypto';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { PayMerchant, SenderDeps } from '../plugin-types';
import { encryptResource, randomString, rfc3339, signMessage, SIGNATURE_TYPE } from './pay-crypto';
import { payEmulatorFor, type PayEmulator } from './pay.service';

/**
 * The merchant API of the emulated WeChat Pay, mounted at `/api.mch.weixin.qq.com`: platform-certificate download
 * and order query, enough for wechatpay-node-v3's `fetchCertificates`/`query`. Every response, errors included,
 * carries Wechatpay-Timestamp/Nonce/Signature/Serial signed over `ts\nnonce\nbody\n` like real responses.
 * The Authorization header must be well formed and name a known mchid; its signature is not checked (the
 * emulator does not hold merchant certificates).
 * https://pay.weixin.qq.com/wiki/doc/apiv3/wechatpay/wechatpay4_0.shtml (response signatures)
 */
interface State {
  merchant?: PayMerchant;
}

const AUTH = /^WECHATPAY2-SHA256-RSA2048\s+(.+)$/;

function authParams(header: string | undefined): Record<string, string> | undefined {
  const m = AUTH.exec(header ?? '');
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[1]!.matchAll(/(\w+)="([^"]*)"/g)) params[p[1]!] = p[2]!;
  return ['mchid', 'nonce_str', 'timestamp', 'serial_no', 'signature'].every((k) => params[k]) ? params : undefined;
}

function fail(ctx: Context, status: number, code: string, message: string): void {
  ctx.status = status;
  ctx.body = { code, message };
}

export function createPayApiRouter(deps: SenderDeps, pay: PayEmulator = payEmulatorFor(deps)): Router<State> {
  const router = new Router<State>();

  // Signs whatever the handlers produced, so error bodies are signed too.
  router.use(async (ctx: Context, next: Next) => {
    await next();
    const keyring = await pay.keyring();
    const body = typeof ctx.body === 'string' ? ctx.body : JSON.stringify(ctx.body ?? {});
    const signer = keyring.signer();
    const ts = String(deps.clock.nowSeconds());
    const nonce = randomString(32);
    ctx.set({
      'Request-ID': randomUUID(),
      'Wechatpay-Timestamp': ts,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': signer.serial,
      'Wechatpay-Signature': signMessage(signer.privateKey, ts, nonce, body),
      'Wechatpay-Signature-Type': SIGNATURE_TYPE,
    });
    const status = ctx.status;
    ctx.body = body;
    ctx.type = 'application/json';
    ctx.status = status;
  });
  router.use(async (ctx: Context, next: Next) => {
    const auth = authParams(ctx.get('authorization'));
    if (!auth)
      return fail(
        ctx,
        401,
        'SIGN_ERROR',
        'Authorization header is missing or malformed (WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,timestamp=…,serial_no=…,signature=…)',
      );
    const merchant = deps.resolveMerchant(auth.mchid!);
    if (!merchant) return fail(ctx, 401, 'SIGN_ERROR', `unknown mchid ${auth.mchid}`);
    ctx.state.merchant = merchant;
    return next();
  });

  // GET /v3/certificates — https://pay.weixin.qq.com/wiki/doc/apiv3/apis/wechatpay5_1.shtml
  router.get('/v3/certificates', async (ctx) => {
    const keyring = await pay.keyring();
    const merchant = ctx.state.merchant!;
    const certs = keyring.mode === 'public-key' ? [] : keyring.certificates;
    ctx.body = {
      data: certs.map((c) => ({
        serial_no: c.serialNo,
        effective_time: rfc3339(c.effectiveMs),
        expire_time: rfc3339(c.expireMs),
        encrypt_certificate: encryptResource(merchant.apiV3Key, c.certificatePem, 'certificate'),
      })),
    };
  });

  // GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid= — https://pay.weixin.qq.com/wiki/doc/apiv3/apis/chapter3_1_2.shtml
  router.get('/v3/pay/transactions/out-trade-no/:outTradeNo', (ctx) => {
    const merchant = ctx.state.merchant!;
    const mchid = ctx.query.mchid;
    if (typeof mchid !== 'string' || !mchid) return fail(ctx, 400, 'PARAM_ERROR', '缺少参数 mchid');
    if (mchid !== merchant.mchId) return fail(ctx, 400, 'INVALID_REQUEST', 'mchid 与 Authorization 中的 mchid 不一致');
    const order = pay.ledger.order(mchid, ctx.params.outTradeNo!);
    if (!order) return fail(ctx, 404, 'ORDER_NOT_EXIST', '订单不存在');
    ctx.body = order;
  });
  return router;
}
