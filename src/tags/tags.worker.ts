import type { AppContext } from '../app-context';
import type { Services } from '../services';
import type { Worker } from '../background';
import { outboxSignal } from './outbox/outbox-signal';
import type { TagWorkers } from './tags-services.factory';
import { RoundFailures } from '../workers/round-failures';

const POLL_MS = 1_000;

/**
 * The tags worker of a gateway process (src/background.ts): one loop drains the outbox (woken at once by the
 * services of this process, polling for rows queued by other instances or due after a backoff), another runs
 * bulk jobs and the WeChat re-reads callbacks asked for. Stop finishes the current round and returns.
 */
export function tagsWorker(app: Services): Worker | undefined {
  const hasTagAccounts = app.config.accounts.some((a) => a.kind === 'official-account' || a.kind === 'wecom');
  if (!hasTagAccounts) return undefined;
  return startTagsWorker(app, app.tags);
}

export function startTagsWorker(app: AppContext, w: TagWorkers): Worker {
  let stopping = false;
  const waiting = new Set<() => void>();
  const nap = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, POLL_MS);
      waiting.add(done);
    });
  const wakeAll = (): void => {
    for (const w of [...waiting]) w();
  };
  const unsubscribe = outboxSignal(app.ds).subscribe(wakeAll);

  const loop = async (name: string, step: () => Promise<boolean>): Promise<void> => {
    const failures = new RoundFailures(app.logger, `tags ${name}`);
    while (!stopping) {
      let busy = false;
      try {
        busy = await step();
        failures.succeeded();
      } catch (err) {
        failures.failed(err);
      }
      if (!busy && !stopping) await nap();
    }
  };
  const pushing = loop('outbox', async () => {
    const s = await w.pusher.drain(() => stopping);
    return s.rowsDone + s.rowsDead + s.retries > 0 && !stopping;
  });
  const jobs = loop('jobs', () => w.jobs.runNext());

  return {
    name: 'tags',
    async stop() {
      stopping = true;
      unsubscribe();
      wakeAll();
      await Promise.all([pushing, jobs]);
    },
  };
}
