import Router from '@koa/router';
import type { SenderDeps } from '../plugin-types';
import type { EmulatorState } from '../state';
import { appsRoutes, appsSummary } from './apps.control';
import { contactWayRoutes } from './contact-ways.control';
import { controlErrorHandler } from './control-body';
import { mpRoutes } from './mp.control';
import { createNotifier } from './notify';
import { oaRoutes } from './oa.control';
import { oaQrCodeRoutes } from './oa-qrcodes.control';
import { oauthRoutes } from './oauth.control';
import { opsRoutes } from './ops.control';
import { transferRoutes } from './transfers.control';
import { truthRoutes } from './truth.control';
import { wecomRoutes } from './wecom.control';
import { groupRoutes, groupStateRoutes } from './wecom-groups.control';

/** The emulator's own control API, mounted at `/_emulator` (each routes file lists its endpoints). */
export function createControlRouter(state: EmulatorState, deps: SenderDeps): Router {
  const router = new Router();
  const notifier = createNotifier(deps);
  router.use(controlErrorHandler);
  opsRoutes(router, state, () => appsSummary(state, undefined));
  appsRoutes(router, state);
  truthRoutes(router, state);
  oaRoutes(router, state, notifier);
  oaQrCodeRoutes(router, state, notifier);
  mpRoutes(router, state);
  wecomRoutes(router, state, notifier);
  groupRoutes(router, state, notifier);
  groupStateRoutes(router, state);
  contactWayRoutes(router, state, notifier);
  transferRoutes(router, state, notifier);
  oauthRoutes(router, state);
  return router;
}
