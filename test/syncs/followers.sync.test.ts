import { clearTables } from '../helpers/test-db';
import { useTestDatabase } from '../helpers/describe-db';
import { count, startSyncHarness, type SyncHarness } from './sync-harness';

describe('OA followers full sync', () => {
  const db = useTestDatabase();
  let h: SyncHarness;

  beforeAll(async () => {
    h = await startSyncHarness(db, { followers: 12_000, officialAccounts: 2, wecomContacts: 10 });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await clearTables(db.ds);
  });

  it('refuses an account kind the resource does not fit', async () => {
    await expect(h.rt.syncs.start(h.wecom().id, 'followers')).rejects.toMatchObject({ code: 'RESOURCE_NOT_SUPPORTED' });
    await expect(h.rt.syncs.start('nope', 'followers')).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });

  it('pages user/get to the end and stores every follower once, unified by unionid', async () => {
    const oa = h.oa();
    const { run, done } = await h.rt.syncs.start(oa.id, 'followers', { triggeredBy: 'test' });
    expect(run.status).toBe('running');
    const end = await done;
    expect(end).toMatchObject({ status: 'done', processed: 12_000, total: 12_000, percent: 100, error: null });
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM oa_subscriptions WHERE app_id = ? AND subscribed = 1', [oa.appId])).toBe(12_000);
    expect(await count(db.ds, "SELECT COUNT(*) AS n FROM identities WHERE type = 'oa_openid'")).toBe(12_000);
    expect(await count(db.ds, "SELECT COUNT(*) AS n FROM identities WHERE type = 'unionid'")).toBe(12_000);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM customers')).toBe(12_000);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM identity_links WHERE sync_run_id = ?', [end.id])).toBe(24_000);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM oa_subscriptions s JOIN identities i ON i.customer_id = s.customer_id AND i.type = ? AND i.value = s.openid', ['oa_openid'])).toBe(12_000);
  });
});
