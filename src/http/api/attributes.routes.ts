import type Router from '@koa/router';
import { principalOf, requireRole } from '../../auth/api-key.middleware';
import {
  parseAttributeInput,
  parseCreateAttribute,
  updateAttributeInput,
} from '../../attributes/attribute-input.schema';
import { definitionJson } from '../../attributes/attribute-view';
import type { Services } from '../../services';
import type { AttributeSource } from '../../storage/entities/customer-attribute.entity';
import { badRequest, notFound } from '../http-error';
import { customerIdParam } from './customer-id';
import { parseLimit } from './paging';
import { actorOf } from './tags.routes';

function keyParam(v: string | undefined): string {
  if (!v || v.length > 64) throw notFound('attribute');
  return v;
}

/** A script may say its values came from another system (`?source=api`); the default is a person's edit. */
function sourceParam(v: unknown): AttributeSource {
  if (v === undefined || v === '' || v === 'manual') return 'manual';
  if (v === 'api') return 'api';
  throw badRequest('source must be manual or api');
}

/**
 * Custom fields and notes (DESIGN §10.4, §13): `GET/POST /attributes`, `GET/PATCH/DELETE /attributes/:key`
 * (`?force=true` deletes a definition with values), `GET/PATCH /customers/:id/attributes`,
 * `GET/POST /customers/:id/notes`, `PATCH /customers/:id/follows/:corpId/:userid` (202: queued for WeChat), and
 * `GET/POST /customers/:id/consents` (DESIGN §12).
 */
export function registerAttributeRoutes(router: Router, app: Services): void {
  const { attributeDefinitions: defs, customerAttributes: values, customerNotes: notes, followRemarks: remarks } = app;

  router.get('/attributes', requireRole('viewer'), async (ctx) => {
    ctx.body = await defs.list();
  });

  router.post('/attributes', requireRole('operator'), async (ctx) => {
    ctx.body = await defs.create(parseCreateAttribute(ctx.request.body), actorOf(ctx));
    ctx.status = 201;
  });

  router.get('/attributes/:key', requireRole('viewer'), async (ctx) => {
    ctx.body = definitionJson(await defs.get(keyParam(ctx.params.key)));
  });

  router.patch('/attributes/:key', requireRole('operator'), async (ctx) => {
    const input = parseAttributeInput(updateAttributeInput, ctx.request.body);
    ctx.body = await defs.update(keyParam(ctx.params.key), input, actorOf(ctx));
  });

  router.delete('/attributes/:key', requireRole('operator'), async (ctx) => {
    const force = ctx.query.force === 'true' || ctx.query.force === '1';
    ctx.body = await defs.remove(keyParam(ctx.params.key), force, actorOf(ctx));
  });

  router.get('/customers/:id/attributes', requireRole('viewer'), async (ctx) => {
    const role = principalOf(ctx.state).role;
    ctx.body = await values.valuesOf(customerIdParam(ctx.params.id), role === 'ingest' ? 'viewer' : role);
  });

  router.patch('/customers/:id/attributes', requireRole('operator'), async (ctx) => {
    const role = principalOf(ctx.state).role;
    ctx.body = await values.patch(customerIdParam(ctx.params.id), ctx.request.body, {
      actor: actorOf(ctx),
      editor: role === 'admin' ? 'admin' : 'operator',
      source: sourceParam(ctx.query.source),
    });
  });

  router.patch('/customers/:id/follows/:corpId/:userid', requireRole('operator'), async (ctx) => {
    const { corpId, userid } = ctx.params;
    if (!corpId || !userid || corpId.length > 64 || userid.length > 64) throw notFound('follow');
    ctx.body = await remarks.change(customerIdParam(ctx.params.id), corpId, userid, ctx.request.body, actorOf(ctx));
    ctx.status = 202;
  });

  router.get('/customers/:id/notes', requireRole('viewer'), async (ctx) => {
    const cursor = typeof ctx.query.cursor === 'string' && ctx.query.cursor ? ctx.query.cursor : undefined;
    if (cursor !== undefined && !/^\d{1,19}$/.test(cursor)) throw badRequest('cursor is not valid');
    ctx.body = await notes.list(customerIdParam(ctx.params.id), parseLimit(ctx.query.limit, 20, 100), cursor);
  });

  router.post('/customers/:id/notes', requireRole('operator'), async (ctx) => {
    ctx.body = await notes.add(customerIdParam(ctx.params.id), ctx.request.body, actorOf(ctx), 'operator');
    ctx.status = 201;
  });

  router.get('/customers/:id/consents', requireRole('viewer'), async (ctx) => {
    ctx.body = await app.consents.list(customerIdParam(ctx.params.id));
  });

  router.post('/customers/:id/consents', requireRole('operator'), async (ctx) => {
    ctx.body = await app.consents.record(customerIdParam(ctx.params.id), ctx.request.body, actorOf(ctx));
    ctx.status = 201;
  });
}
