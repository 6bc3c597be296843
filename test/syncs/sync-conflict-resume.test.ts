import { silentLogger } from '../../src/logger';
import { SyncService } from '../../src/syncs/sync.service';
import type { SyncTask, SyncTaskContext } from '../../src/syncs/sync-types';
import { useTestDatabase } from '../helpers/describe-db';
import { testConfig } from '../helpers/test-app';

/** What InnoDB throws at the victim of a deadlock (mysql2's error shape, wrapped by typeorm as driverError). */
const deadlock = () =>
  Object.assign(new Error('Deadlock found when trying to get lock'), {
    driverError: { code: 'ER_LOCK_DEADLOCK', errno: 1213 },
  });

/**
 * A sync whose write loses a lock conflict after its own retries (DESIGN §3, §6): the run goes on from its last
 * saved page instead of failing, a bounded number of times; any other error still fails the run.
 */
describe('a sync that hits a lock conflict resumes from its checkpoint', () => {
  const db = useTestDatabase();
  const APP = 'wx_conflict_resume';

  const service = (task: SyncTask) =>
    new SyncService({
      ds: db.ds,
      config: testConfig(db.url, { accounts: [{ kind: 'official-account', appId: APP, appSecret: 's', token: 't' }] }),
      logger: silentLogger(),
      now: () => Date.now(),
      tasks: () => task,
    });

  it('finishes with the pages of both passes counted once each', async () => {
    const seen: unknown[] = [];
    const task: SyncTask = {
      async run(ctx: SyncTaskContext) {
        seen.push(ctx.checkpoint);
        if (ctx.checkpoint === null) {
          await ctx.savePage({ page: 1 }, { processed: 5, created: 5 });
          throw deadlock();
        }
        await ctx.savePage({ page: 2 }, { processed: 4, updated: 4 });
      },
    };
    const started = await service(task).start(APP, 'followers');
    const run = await started.done;
    expect(run).toMatchObject({ status: 'done', processed: 9, created: 5, updated: 4 });
    expect(seen).toEqual([null, { page: 1 }]);
  });

  it('fails the run once conflicts keep coming, and at once on any other error', async () => {
    let passes = 0;
    const always = service({
      async run() {
        passes++;
        throw deadlock();
      },
    });
    const stuck = await (await always.start(APP, 'followers')).done;
    expect(stuck.status).toBe('failed');
    expect(stuck.error).toMatch(/Deadlock/);
    expect(passes).toBe(4);

    passes = 0;
    const broken = service({
      async run() {
        passes++;
        throw new Error('the page could not be read');
      },
    });
    const failed = await (await broken.start(APP, 'followers')).done;
    expect(failed).toMatchObject({ status: 'failed', error: 'the page could not be read' });
    expect(passes).toBe(1);
  });
});
