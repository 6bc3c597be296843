import type Router from '@koa/router';
import { principalOf, requireRole } from '../../auth/api-key.middleware';
import {
  identityScopes,
  isCustomerChannel,
  CUSTOMER_CHANNELS,
  type CustomerFilter,
} from '../../customers/customer-filter';
import { decodeEventCursor, timelinePage } from '../../customers/customer-events.service';
import { CustomerListService } from '../../customers/customer-list.service';
import { ATTRIBUTE_KEY } from '../../attributes/attribute-input.schema';
import { badRequest, notFound } from '../http-error';
import type { Services } from '../../services';
import { isCustomerId } from './customer-id';
import { parseLimit } from './paging';

/**
 * `?q=&tag=&channel=&attribute=&attributeValue=&anonymous=` → a CustomerFilter, or 400 naming the bad parameter.
 * Also used for bulk tag assignment.
 */
export function parseCustomerFilter(query: Record<string, unknown>): CustomerFilter {
  const f: CustomerFilter = {};
  const { q, tag, channel, attribute, attributeValue, anonymous } = query;
  if (anonymous !== undefined && anonymous !== '' && anonymous !== 'exclude') {
    if (anonymous !== 'include' && anonymous !== 'only') throw badRequest('anonymous must be exclude, include or only');
    f.anonymous = anonymous;
  }
  if (q !== undefined && q !== '') {
    if (typeof q !== 'string' || q.trim().length === 0 || q.length > 128)
      throw badRequest('q must be 1 to 128 characters');
    f.q = q.trim();
  }
  if (tag !== undefined && tag !== '') {
    if (typeof tag !== 'string' || !/^\d{1,20}$/.test(tag)) throw badRequest('tag must be a tag id');
    f.tagId = tag;
  }
  if (channel !== undefined && channel !== '') {
    if (!isCustomerChannel(channel)) throw badRequest(`channel must be one of ${CUSTOMER_CHANNELS.join(', ')}`);
    f.channel = channel;
  }
  if (attribute !== undefined && attribute !== '') {
    if (typeof attribute !== 'string' || !ATTRIBUTE_KEY.test(attribute))
      throw badRequest('attribute must be a field key');
    if (attributeValue !== undefined && (typeof attributeValue !== 'string' || attributeValue.length > 500))
      throw badRequest('attributeValue must be at most 500 characters');
    f.attribute = {
      key: attribute,
      ...(attributeValue !== undefined && attributeValue !== '' ? { value: attributeValue } : {}),
    };
  } else if (attributeValue !== undefined && attributeValue !== '') {
    throw badRequest('attributeValue needs attribute');
  }
  return f;
}

/**
 * `GET /api/v1/customers?q=&tag=&channel=&limit=&cursor=` → `{ items, nextCursor }` and
 * `GET /api/v1/customers/:id/events?limit=&cursor=` (DESIGN §8.3). Viewers see masked phones.
 */
export function registerCustomerRoutes(router: Router, app: Services): void {
  const { profiles, phoneCrypto } = app;
  const customers = new CustomerListService({ profiles, phoneCrypto, scopes: identityScopes(app.config) });

  router.get('/customers', requireRole('viewer'), async (ctx) => {
    const filter = parseCustomerFilter(ctx.query);
    const limit = parseLimit(ctx.query.limit, 50, 200);
    const cursor = ctx.query.cursor;
    if (cursor !== undefined && cursor !== '' && !isCustomerId(cursor)) throw badRequest('cursor is not valid');
    ctx.body = await customers.list(
      app.ds,
      filter,
      { limit, ...(cursor ? { cursor: cursor as string } : {}) },
      principalOf(ctx.state).role,
    );
  });

  router.get('/customers/:id/events', requireRole('viewer'), async (ctx) => {
    const limit = parseLimit(ctx.query.limit, 50, 200);
    const raw = ctx.query.cursor;
    const cursor = typeof raw === 'string' && raw !== '' ? decodeEventCursor(raw) : undefined;
    if (raw !== undefined && raw !== '' && !cursor) throw badRequest('cursor is not valid');
    const id = ctx.params.id ?? '';
    const customer = isCustomerId(id) ? await profiles.resolve(app.ds, id) : undefined;
    if (!customer) throw notFound('customer');
    ctx.body = {
      customerId: customer.id,
      ...(await timelinePage(app.ds, customer.id, { limit, ...(cursor ? { cursor } : {}) })),
    };
  });
}
