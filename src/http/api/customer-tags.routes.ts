import type Router from '@koa/router';
import type { AppContext } from '../../app-context';
import { requireRole } from '../../auth/api-key.middleware';
import type { CustomerTagsChange } from '../../customers/customers-api.types';
import { AssignmentService } from '../../tags/assignments/assignment.service';
import { customerIdParam } from './customer-id';
import { tagIdsOf } from './tag-ids';
import { actorOf, idParam } from './tags.routes';

/**
 * Manual tagging of one customer (DESIGN §8.3): `POST /api/v1/customers/:id/tags {tagIds}` adds, `DELETE
 * /api/v1/customers/:id/tags/:tagId` removes the operator-made assignment; both answer the customer's tags
 * (`{ customerId, tags: [{ id, name, source, groupName }] }`, the survivor's id for a merged customer), typed as
 * `CustomerTagsChange`, the shape the console reads.
 */
export function registerCustomerTagRoutes(router: Router, app: AppContext): void {
  const assignments = new AssignmentService(app);

  router.post('/customers/:id/tags', requireRole('operator'), async (ctx) => {
    const id = customerIdParam(ctx.params.id);
    const tagIds = tagIdsOf(ctx.request.body);
    const body: CustomerTagsChange = await assignments.addToCustomer(id, tagIds, actorOf(ctx));
    ctx.body = body;
  });

  router.delete('/customers/:id/tags/:tagId', requireRole('operator'), async (ctx) => {
    const body: CustomerTagsChange = await assignments.removeFromCustomer(
      customerIdParam(ctx.params.id),
      idParam(ctx, 'tag', 'tagId'),
      actorOf(ctx),
    );
    ctx.body = body;
  });
}
