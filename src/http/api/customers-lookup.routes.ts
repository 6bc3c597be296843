import type Router from '@koa/router';
import type { Services } from '../../services';
import { principalOf, requireRole } from '../../auth/api-key.middleware';
import { isIdentityType } from '../../../connectors/common/identity-types';
import { badRequest, forbidden, notFound } from '../http-error';
import { ErasureService } from '../../customers/erasure.service';

/**
 * `GET /api/v1/customers/lookup?type=&scope=&value=` and `GET /api/v1/customers/:id` (DESIGN §8.3): the
 * customer by any identity (phone by its plain number, matched through the keyed hash), merges followed. After
 * the key check, by id is one statement and by identity two (ProfileService; DESIGN §9 lookup p99 ≤ 20 ms).
 * Registered before any other `/customers/:id…` route so `lookup` is not taken for an id.
 */
export function registerCustomerLookupRoutes(router: Router, app: Services): void {
  const { identity, profiles } = app;

  router.get('/customers/lookup', requireRole('viewer'), async (ctx) => {
    const { type, scope, value } = ctx.query;
    if (!isIdentityType(type))
      throw badRequest('type must be one of unionid, oa_openid, mp_openid, h5_openid, wecom_external_userid, phone');
    if (typeof value !== 'string' || value.trim() === '') throw badRequest('value is required');
    const needsScope = type !== 'unionid' && type !== 'phone';
    if (needsScope && (typeof scope !== 'string' || scope === ''))
      throw badRequest(`scope (the appid / corpid) is required for ${type}`);
    // Viewers see phones masked (DESIGN §7); a 200/404 on a full number would tell them whose it is.
    if (type === 'phone' && principalOf(ctx.state).role === 'viewer')
      throw forbidden('looking a customer up by phone number requires role operator');
    const ref = identity.storedRef({
      type,
      scope: typeof scope === 'string' && scope ? scope : 'default',
      value: value.trim(),
    });
    const profile = await profiles.byIdentity(app.ds, ref, principalOf(ctx.state).role);
    if (!profile) throw notFound('customer');
    ctx.body = profile;
  });

  router.get('/customers/:id', requireRole('viewer'), async (ctx) => {
    const id = ctx.params.id ?? '';
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('customer');
    const profile = await profiles.byId(app.ds, id, principalOf(ctx.state).role);
    if (!profile) throw notFound('customer');
    ctx.body = profile;
  });

  const erasure = new ErasureService(app.ds, {
    dataKey: app.config.security.dataKey,
    wecomFanout: app.config.tags.wecomFanout,
    now: app.now,
  });
  router.delete('/customers/:id', requireRole('admin'), async (ctx) => {
    const id = ctx.params.id ?? '';
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('customer');
    const p = principalOf(ctx.state);
    const result = await erasure.erase(id, { name: p.actor, role: p.role });
    if (!result) throw notFound('customer');
    ctx.body = { erased: true, ...result };
  });
}
