import Router from '@koa/router';
import type { AppContext } from '../../app-context';
import { ping } from '../../storage/data-source';
import { migrationsApplied } from '../../storage/migrate';

/** Operations endpoints (DESIGN §8.2): liveness, readiness (DB answers + schema current), Prometheus metrics. */
export function healthRouter(app: AppContext): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const checks = { database: false, migrations: false };
    try {
      await ping(app.ds);
      checks.database = true;
      checks.migrations = await migrationsApplied(app.ds);
    } catch (err) {
      app.logger.warn({ err }, 'readiness check failed');
    }
    const ready = checks.database && checks.migrations;
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', checks };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = app.metrics.registry.contentType;
    ctx.body = await app.metrics.registry.metrics();
  });
  return router;
}
