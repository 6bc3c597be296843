import type { AppContext } from '../app-context';
import { createClients } from '../tokens/clients';
import { tagWorkers, type TagWorkers } from './tags.module';

const runtimes = new WeakMap<AppContext, TagWorkers>();

/**
 * The tag workers of one process (worker loop, cron jobs, CLI), built once per AppContext. Their WeChat clients
 * make one attempt per call: every retry is an outbox retry, backed off and counted (OutboxPusher).
 */
export function tagRuntime(app: AppContext): TagWorkers {
  let w = runtimes.get(app);
  if (!w) runtimes.set(app, (w = tagWorkers(app, createClients(app, { now: app.now, http: { maxAttempts: 1 } }))));
  return w;
}
