import Router from '@koa/router';
import { controlErrors } from '../callbacks/control.router';
import { ControlError, parseBody } from '../callbacks/json-body';
import type { SenderDeps } from '../plugin-types';
import { refundBody, settingsBody, transactionBody } from './control.schemas';
import { payEmulatorFor, type PayEmulator } from './pay.service';

/**
 * Control API for the WeChat Pay notifier, mounted at `/_emulator/pay` (body shapes: README.md here).
 * Triggers await the first delivery (and injected duplicates); retries wait for the emulator clock and
 * `POST /retries/run`.
 */
export function createPayControlRouter(deps: SenderDeps, pay: PayEmulator = payEmulatorFor(deps)): Router {
  const router = new Router();
  router.use(controlErrors);

  router.get('/keys', async (ctx) => {
    ctx.body = (await pay.keyring()).describe();
  });
  router.post('/keys/rotate', async (ctx) => {
    const cert = await (await pay.keyring()).rotate();
    ctx.body = { serialNo: cert.serialNo, certificatePem: cert.certificatePem };
  });
  router.post('/settings', async (ctx) => {
    const { mode } = await parseBody(ctx, settingsBody);
    (await pay.keyring()).mode = mode;
    ctx.body = { mode };
  });

  router.post('/retries/run', async (ctx) => {
    ctx.body = { delivered: await pay.runDueRetries() };
  });
  router.get('/notifications', async (ctx) => {
    const mchId = typeof ctx.query.mchId === 'string' ? ctx.query.mchId : undefined;
    ctx.body = { notifications: (await pay.notifier()).list().filter((n) => !mchId || n.mchId === mchId) };
  });
  router.get('/notifications/:id', async (ctx) => {
    const n = (await pay.notifier()).get(ctx.params.id!);
    if (!n) throw new ControlError(404, 'NOTIFICATION_NOT_FOUND', `no notification ${ctx.params.id}`);
    ctx.body = { notification: n };
  });
  router.post('/notifications/:id/redeliver', async (ctx) => {
    const n = await (await pay.notifier()).redeliver(ctx.params.id!);
    if (!n) throw new ControlError(404, 'NOTIFICATION_NOT_FOUND', `no notification ${ctx.params.id}`);
    ctx.body = { notification: n };
  });
  router.delete('/notifications', async (ctx) => {
    (await pay.notifier()).clear();
    ctx.status = 204;
  });

  router.post('/:mchId/transactions', async (ctx) => {
    const r = await pay.notifyTransaction(ctx.params.mchId!, await parseBody(ctx, transactionBody));
    ctx.body = { notification: r.notification, transaction: r.resource };
  });
  router.post('/:mchId/refunds', async (ctx) => {
    const r = await pay.notifyRefund(ctx.params.mchId!, await parseBody(ctx, refundBody));
    ctx.body = { notification: r.notification, refund: r.resource };
  });
  return router;
}
