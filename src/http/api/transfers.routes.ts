import type Router from '@koa/router';
import { requireRole } from '../../auth/api-key.middleware';
import type { Services } from '../../services';
import { parseTransferBody } from '../../transfers/transfer.errors';
import { transferInput } from '../../transfers/transfer.service';
import { parseIdCursor, parseLimit } from './paging';
import { actorOf, idParam } from './tags.routes';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * WeCom customer transfers (DESIGN §10.3, §13): `POST /transfers` starts one in WeChat (202, with each customer's
 * status), `GET /transfers?corpId=&userid=&cursor=&limit=` newest first, `GET /transfers/:id` with per-customer
 * status; `GET /staff/:corpId/:userid/customers` a member's live customers (to pick from);
 * `GET /staff/:corpId/:userid/unassigned` lists a departed member's customers nobody has taken over.
 */
export function registerTransferRoutes(router: Router, app: Services): void {
  const { transfers } = app;

  router.post('/transfers', requireRole('operator'), async (ctx) => {
    ctx.body = await transfers.start(parseTransferBody(transferInput, ctx.request.body), actorOf(ctx));
    ctx.status = 202;
  });

  router.get('/transfers', requireRole('viewer'), async (ctx) => {
    const corpId = text(ctx.query.corpId);
    const userid = text(ctx.query.userid);
    const cursor = parseIdCursor(ctx.query.cursor);
    ctx.body = await transfers.list({
      ...(corpId ? { corpId } : {}),
      ...(userid ? { userid } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
      limit: parseLimit(ctx.query.limit),
    });
  });

  router.get('/transfers/:id', requireRole('viewer'), async (ctx) => {
    ctx.body = await transfers.get(idParam(ctx, 'transfer'));
  });

  router.get('/staff/:corpId/:userid/customers', requireRole('viewer'), async (ctx) => {
    ctx.body = await transfers.customersOf(ctx.params.corpId!, ctx.params.userid!);
  });

  router.get('/staff/:corpId/:userid/unassigned', requireRole('viewer'), async (ctx) => {
    ctx.body = await transfers.unassigned(ctx.params.corpId!, ctx.params.userid!);
  });
}
