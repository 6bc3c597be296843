import { JobScheduler } from '../../src/jobs/scheduler';
import { nightlySyncsJob } from '../../src/jobs/nightly-syncs.job';
import { useTestDatabase } from '../helpers/describe-db';
import { startSyncHarness, type SyncHarness } from '../syncs/sync-harness';

describe('nightly-syncs job', () => {
  const db = useTestDatabase();
  let h: SyncHarness;

  beforeAll(async () => {
    h = await startSyncHarness(db, { followers: 40, officialAccounts: 2, wecomContacts: 20 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('runs every account’s full syncs once, corp tags and staff before contacts, groups last', async () => {
    const scheduler = new JobScheduler(h.app, [nightlySyncsJob], 'test');
    expect(await scheduler.trigger('nightly-syncs', new Date('2030-01-01T03:00:00Z'))).toBe('ran');
    const runs = (await db.ds.query(
      'SELECT account, resource, status, triggered_by FROM sync_runs ORDER BY id',
    )) as Record<string, string>[];
    expect(runs).toEqual([
      { account: h.oa(0).id, resource: 'followers', status: 'done', triggered_by: 'job:nightly-syncs' },
      { account: h.oa(1).id, resource: 'followers', status: 'done', triggered_by: 'job:nightly-syncs' },
      { account: h.wecom().id, resource: 'corp-tags', status: 'done', triggered_by: 'job:nightly-syncs' },
      { account: h.wecom().id, resource: 'staff', status: 'done', triggered_by: 'job:nightly-syncs' },
      { account: h.wecom().id, resource: 'contacts', status: 'done', triggered_by: 'job:nightly-syncs' },
      { account: h.wecom().id, resource: 'groups', status: 'done', triggered_by: 'job:nightly-syncs' },
    ]);
    expect(await scheduler.trigger('nightly-syncs', new Date('2030-01-01T03:00:00Z'))).toBe('skipped');
  });
});
