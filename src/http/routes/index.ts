import type Router from '@koa/router';
import type { AppContext } from '../../app-context';
import { healthRouter } from './health.router';
import { apiRouter } from '../api/api.router';
import { wechatRouter } from './wechat.router';

/** Every router of the gateway, listed explicitly (no filesystem auto-loading). */
export function buildRouters(app: AppContext): Router[] {
  return [healthRouter(app), wechatRouter(app), apiRouter(app)];
}
