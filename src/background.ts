import { inboxProcessorWorker } from './inbox/inbox-processor';
import type { Services } from './services';
import { jobsWorker } from './jobs/scheduler';
import { refreshWorker } from './syncs/refresh/refresh.worker';
import { syncsWorker } from './syncs/sync-runtime';
import { tagsWorker } from './tags/tags.worker';
import { webhooksWorker } from './webhooks/webhook-delivery.worker';

/** Long-running workers of one gateway process (inbox processor, outbox pusher, cron jobs). */
export interface Background {
  stop(): Promise<void>;
}

export interface Worker {
  name: string;
  stop(): Promise<void>;
}

export type WorkerFactory = (app: Services) => Worker | undefined;

/** Listed explicitly; each factory decides from config whether it runs on this instance. */
const factories: WorkerFactory[] = [
  inboxProcessorWorker,
  refreshWorker,
  syncsWorker,
  tagsWorker,
  webhooksWorker,
  jobsWorker,
];

export function startBackground(app: Services): Background {
  const workers = factories.map((f) => f(app)).filter((w): w is Worker => !!w);
  return {
    async stop() {
      await Promise.all(
        workers.map((w) => w.stop().catch((err) => app.logger.error({ err, worker: w.name }, 'worker stop failed'))),
      );
    },
  };
}
