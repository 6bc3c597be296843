import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/storage/data-source';
import { useTestDatabase } from '../helpers/describe-db';
import { testServices, startSyncHarness, type SyncHarness } from './sync-harness';

describe('one running sync per (account, resource) across instances', () => {
  const db = useTestDatabase();
  let h: SyncHarness;
  let otherDs: DataSource;

  beforeAll(async () => {
    h = await startSyncHarness(db, { followers: 10_050, officialAccounts: 1, corps: 0, miniPrograms: 0 });
    otherDs = await openDatabase({ url: db.url });
  });
  afterAll(async () => {
    await h.close();
    await otherDs.destroy();
  });

  it('a second gateway instance on the same database is refused while the first runs, then may run', async () => {
    const other = testServices(otherDs, h.config);
    const [a, b] = await Promise.allSettled([
      h.rt.syncs.start(h.oa().id, 'followers'),
      other.syncs.start(h.oa().id, 'followers'),
    ]);
    const won = [a, b].filter((r) => r.status === 'fulfilled');
    const lost = [a, b].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as { code: string }).code)).toEqual(['SYNC_RUNNING']);
    const first = await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof other.syncs.start>>>).value.done;
    expect(first.status).toBe('done');
    const second = await (await other.syncs.start(h.oa().id, 'followers')).done;
    expect(second).toMatchObject({ status: 'done', processed: 10_050, created: 0 });
    await other.syncs.stop();
  });
});
