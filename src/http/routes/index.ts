import type Router from '@koa/router';
import type { Services } from '../../services';
import { healthRouter } from './health.router';
import { apiRouter } from '../api/api.router';
import { wechatRouter } from './wechat.router';
import { h5Router } from './h5.router';
import { mpRouter } from './mp.router';
import { trackRouter } from './track.router';
import { openApiRouter } from '../api/openapi';
import { webPageRouter } from '../web-assets';
import { sidebarRouter } from './sidebar.router';
import { consoleAuthRouter } from './console-auth.router';

/** Every router of the gateway, listed explicitly (no filesystem auto-loading). */
export function buildRouters(app: Services): Router[] {
  const api = apiRouter(app);
  return [
    healthRouter(app),
    wechatRouter(app),
    h5Router(app),
    mpRouter(app),
    trackRouter(app),
    sidebarRouter(app),
    consoleAuthRouter(app),
    webPageRouter({ page: 'console', built: true, paths: ['/console/login'] }),
    openApiRouter(api, 'v1'),
    api,
  ];
}
