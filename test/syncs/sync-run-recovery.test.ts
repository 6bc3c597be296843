import { silentLogger } from '../../src/logger';
import { SyncService } from '../../src/syncs/sync.service';
import type { SyncTask, SyncTaskContext } from '../../src/syncs/sync-types';
import { SyncRunRepository } from '../../src/storage/syncs/sync-run.repository';
import { useTestDatabase } from '../helpers/describe-db';
import { testConfig } from '../helpers/test-app';

/** What InnoDB throws at the victim of a deadlock (mysql2's error shape, wrapped by typeorm as driverError). */
const deadlock = () =>
  Object.assign(new Error('Deadlock found when trying to get lock'), {
    driverError: { code: 'ER_LOCK_DEADLOCK', errno: 1213 },
  });

/**
 * A sync run against other writers and other instances (DESIGN §3, §6): a write that loses a lock conflict after
 * its own retries goes on from the last saved page instead of failing, a bounded number of times (any other error
 * still fails the run); a pass whose run another instance has taken over stops without writing.
 */
describe('a sync run after lock conflicts and take-overs', () => {
  const db = useTestDatabase();
  const APP = 'wx_conflict_resume';

  const service = (task: SyncTask) =>
    new SyncService({
      ds: db.ds,
      config: testConfig(db.url, {
        accounts: [APP, `${APP}_taken`].map((appId) => ({
          kind: 'official-account',
          appId,
          appSecret: 's',
          token: 't',
        })),
      }),
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

  it('a stalled pass taken over by another instance stops without overwriting the newer checkpoint', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let firstPageSaved!: () => void;
    const saved = new Promise<void>((r) => (firstPageSaved = r));
    const stalled = service({
      async run(ctx) {
        await ctx.savePage({ page: 1 }, { processed: 3 });
        firstPageSaved();
        await gate;
        await ctx.savePage({ page: 2 }, { processed: 3 });
      },
    });
    const started = await stalled.start(`${APP}_taken`, 'followers');
    await saved;
    // What a second instance does once the first one's lease has run out: it claims the run to resume it.
    const runs = new SyncRunRepository(db.ds);
    await runs.claim(started.run.id, 'instance-b', new Date());
    await runs.savePage(
      started.run.id,
      'instance-b',
      { page: 7 },
      { processed: 21, created: 0, updated: 0 },
      new Date(),
    );
    release();
    const after = await started.done;
    expect(after).toMatchObject({ status: 'running', processed: 21 });
    const row = await runs.get(started.run.id);
    expect(row).toMatchObject({ checkpoint: { page: 7 }, lockedBy: 'instance-b', status: 'running' });
  });
});
