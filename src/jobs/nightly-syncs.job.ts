import type { SyncResource } from '../syncs/sync-types';
import { SyncError } from '../syncs/sync-errors';
import type { Account } from '../../config';
import type { Job } from './job';

/**
 * Corp tags before contacts, so relation tag ids read by the contacts sync have names; staff before contacts too,
 * and before groups, whose sync names the owners who left (their groups are listed only when named).
 */
function resourcesOf(account: Account): SyncResource[] {
  if (account.kind === 'official-account') return ['followers'];
  if (account.kind === 'wecom') return ['corp-tags', 'staff', 'contacts', 'groups'];
  return [];
}

/**
 * Nightly full syncs of every configured account, one after another so the night's WeChat
 * quota and database load stay bounded. A sync already running (started by hand, or by another instance) is
 * left alone; a run cut short by the budget or shutdown is paused and resumes tomorrow or on the next start.
 */
export const nightlySyncsJob: Job = {
  name: 'nightly-syncs',
  schedule: '0 3 * * *',
  budgetMs: 6 * 3_600_000,
  async run({ app, signal, logger }) {
    const { syncs } = app;
    const onAbort = () => void syncs.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (const account of app.config.accounts) {
        for (const resource of resourcesOf(account)) {
          if (signal.aborted) return;
          try {
            const { done } = await syncs.start(account.id, resource, { triggeredBy: 'job:nightly-syncs' });
            const end = await done;
            logger.info(
              { account: account.id, resource, status: end.status, processed: end.processed },
              'nightly sync ended',
            );
          } catch (err) {
            if (err instanceof SyncError && err.code === 'SYNC_RUNNING')
              logger.info({ account: account.id, resource }, 'sync already running; skipped');
            else throw err;
          }
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  },
};
