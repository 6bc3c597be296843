import Router from '@koa/router';
import type { Services } from '../../services';
import { migrationsApplied } from '../../storage/migrate';

/**
 * Operations endpoints (DESIGN §8.2): liveness, readiness (the database node answers and is in the cluster,
 * schema current), Prometheus metrics. Readiness fails while a Galera node is not `Synced` and comes back by
 * itself once it is (DESIGN §3).
 */
export function healthRouter(app: Pick<Services, 'readiness' | 'ds' | 'logger' | 'metrics'>): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const node = await app.readiness.check();
    const checks = { database: node.synced, migrations: false };
    if (node.synced) {
      try {
        checks.migrations = await migrationsApplied(app.ds);
      } catch (err) {
        checks.database = false;
        app.logger.warn({ err }, 'readiness check failed');
      }
    }
    const ready = checks.database && checks.migrations;
    ctx.status = ready ? 200 : 503;
    ctx.body = {
      status: ready ? 'ready' : 'not ready',
      checks,
      ...(node.state !== null ? { node: node.state } : {}),
    };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = app.metrics.registry.contentType;
    ctx.body = await app.metrics.registry.metrics();
  });
  return router;
}
