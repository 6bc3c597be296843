import Router from '@koa/router';
import type { Services } from '../../services';
import { authenticate } from '../../auth/api-key.middleware';
import { ApiKeyService } from '../../auth/api-key.service';
import { jsonBody } from '../middleware/json-body';
import { registerWhoamiRoutes } from './whoami.routes';
import { registerAuditRoutes } from './audit.routes';
import { registerCustomerLookupRoutes } from './customers-lookup.routes';
import { registerMergeRoutes } from './merges.routes';
import { registerConflictRoutes } from './conflicts.routes';
import { registerInboxRoutes } from './inbox.routes';
import { registerCustomerRoutes } from './customers.routes';
import { registerCustomerExportRoutes } from './customer-export.routes';
import { registerSyncRoutes } from './syncs.routes';
import { registerCustomerTagRoutes } from './customer-tags.routes';
import { registerTagRoutes } from './tags.routes';
import { registerSegmentRoutes } from './segments.routes';
import { registerOutboxRoutes } from './outbox.routes';
import { registerOverviewRoutes } from './overview.routes';
import { registerStaffRoutes } from './staff.routes';
import { registerTransferRoutes } from './transfers.routes';
import { registerGroupRoutes } from './groups.routes';
import { registerChannelRoutes } from './channels.routes';
import { registerAttributeRoutes } from './attributes.routes';
import { registerWebhookRoutes } from './webhooks.routes';
import { registerExportRoutes } from './exports.routes';
import { registerImportRoutes } from './imports.routes';
import { registerEventRoutes } from './events.routes';
import { registerOperatorRoutes } from './operators.routes';
import { CONSOLE_COOKIE } from '../../operators/console-session.service';

/** A file of admin API routes registers itself on the shared `/api/v1` router. */
export type ApiRoutes = (router: Router, app: Services) => void;

/** Listed explicitly, in the order of DESIGN §8.3. */
const routeFiles: ApiRoutes[] = [
  registerWhoamiRoutes,
  // Before the customer routes: /customers/export must match ahead of /customers/:id.
  registerExportRoutes,
  registerCustomerLookupRoutes,
  registerCustomerRoutes,
  registerCustomerExportRoutes,
  registerCustomerTagRoutes,
  registerTagRoutes,
  registerSegmentRoutes,
  registerSyncRoutes,
  registerOutboxRoutes,
  registerMergeRoutes,
  registerConflictRoutes,
  registerInboxRoutes,
  registerAuditRoutes,
  registerOverviewRoutes,
  registerGroupRoutes,
  registerChannelRoutes,
  registerStaffRoutes,
  registerAttributeRoutes,
  registerTransferRoutes,
  registerWebhookRoutes,
  registerImportRoutes,
  registerEventRoutes,
  registerOperatorRoutes,
];

/** `/api/v1`: JSON bodies with a size limit, Bearer API keys or the console's session cookie, role checks per route. */
export function apiRouter(app: Services): Router {
  const router = new Router({ prefix: '/api/v1' });
  // Authenticate before reading the body: an anonymous caller never makes us buffer a megabyte.
  const { sessions } = app.operators;
  const cookies = { cookieName: CONSOLE_COOKIE, authenticate: (c: string) => sessions.authenticate(c) };
  router.use(authenticate(new ApiKeyService(app.ds, app.now), cookies, app.config.server.publicUrl));
  router.use(jsonBody(app.config.server.maxJsonBytes));
  for (const register of routeFiles) register(router, app);
  return router;
}
