import Router from '@koa/router';
import type { EmulatorState } from '../state';
import { appsRoutes, appsSummary } from './apps.control';
import { controlErrorHandler } from './control-body';
import { mpRoutes } from './mp.control';
import { oaRoutes } from './oa.control';
import { oauthRoutes } from './oauth.control';
import { opsRoutes } from './ops.control';
import { truthRoutes } from './truth.control';
import { wecomRoutes } from './wecom.control';

/** The emulator's own control API, mounted at `/_emulator` (each routes file lists its endpoints). */
export function createControlRouter(state: EmulatorState): Router {
  const router = new Router();
  router.use(controlErrorHandler);
  opsRoutes(router, state, () => appsSummary(state, undefined));
  appsRoutes(router, state);
  truthRoutes(router, state);
  oaRoutes(router, state);
  mpRoutes(router, state);
  wecomRoutes(router, state);
  oauthRoutes(router, state);
  return router;
}
