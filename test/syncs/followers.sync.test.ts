import { IdentityHasher } from '../../src/security/identity-hash';
import { followersSync } from '../../src/syncs/oa/followers.sync';
import { SyncService } from '../../src/syncs/sync.service';
import { clearTables } from '../helpers/test-db';
import { useTestDatabase } from '../helpers/describe-db';
import { count, startSyncHarness, type SyncHarness } from './sync-harness';

describe('OA followers full sync', () => {
  const db = useTestDatabase();
  let h: SyncHarness;

  beforeAll(async () => {
    h = await startSyncHarness(db, { followers: 10_200, officialAccounts: 2, wecomContacts: 10 });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await clearTables(db.ds);
  });

  it('refuses an unknown account and an account kind the resource does not fit', async () => {
    await expect(h.rt.syncs.start('nope', 'followers')).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    await expect(h.rt.syncs.start(h.wecom().id, 'followers')).rejects.toMatchObject({ code: 'RESOURCE_NOT_SUPPORTED' });
    await expect(h.rt.syncs.start(h.oa().id, 'contacts')).rejects.toMatchObject({ code: 'RESOURCE_NOT_SUPPORTED' });
    await expect(h.rt.syncs.start(h.oa().id, 'everything')).rejects.toMatchObject({ code: 'RESOURCE_NOT_SUPPORTED' });
  });

  it('pages user/get to the end and stores every follower once, unified by unionid', async () => {
    const oa = h.oa();
    const { run, done } = await h.rt.syncs.start(oa.id, 'followers', { triggeredBy: 'test' });
    expect(run.status).toBe('running');
    const end = await done;
    expect(end).toMatchObject({
      status: 'done',
      processed: 10_200,
      total: 10_200,
      percent: 100,
      error: null,
      triggeredBy: 'test',
    });
    expect(end.rate).toBeGreaterThan(0);
    expect(
      await count(db.ds, 'SELECT COUNT(*) AS n FROM oa_subscriptions WHERE app_id = ? AND subscribed = 1', [oa.appId]),
    ).toBe(10_200);
    expect(await count(db.ds, "SELECT COUNT(*) AS n FROM identities WHERE type = 'oa_openid'")).toBe(10_200);
    expect(await count(db.ds, "SELECT COUNT(*) AS n FROM identities WHERE type = 'unionid'")).toBe(10_200);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM customers')).toBe(10_200);
    // Customers the sync creates carry the run on their identities; links record attachments to existing ones.
    expect(
      await count(db.ds, 'SELECT COUNT(*) AS n FROM identities WHERE source = ?', [`sync.oa_followers#${end.id}`]),
    ).toBe(20_400);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM identity_links')).toBe(0);
    expect(
      await count(
        db.ds,
        "SELECT COUNT(*) AS n FROM oa_subscriptions s JOIN identities i ON i.customer_id = s.customer_id AND i.type = 'oa_openid' AND i.value = s.openid",
      ),
    ).toBe(10_200);
  });

  it('attaching to a customer that already exists writes an identity_links row naming the run', async () => {
    const oa = h.oa();
    const aud = h.emu.state.world.oaApp(oa.appId)!;
    // A customer known only by the unionid (e.g. from WeCom) before the OA sync sees the follower.
    const unionid = h.emu.state.world.registry.openPlatform.unionCodec.encode(aud.slotPerson.get(7));
    await db.ds.query(
      "INSERT INTO customers (id, status, created_at, updated_at) VALUES ('00000000-0000-7000-8000-000000000007', 'active', '2020-01-01 00:00:00.000', '2020-01-01 00:00:00.000')",
    );
    await db.ds.query(
      "INSERT INTO identities (customer_id, type, scope, value, source, verified, created_at, updated_at) VALUES ('00000000-0000-7000-8000-000000000007', 'unionid', ?, ?, 'test', 0, '2020-01-01 00:00:00.000', '2020-01-01 00:00:00.000')",
      [oa.openPlatformId, unionid],
    );
    const end = await (await h.rt.syncs.start(oa.id, 'followers')).done;
    expect(end).toMatchObject({ status: 'done', processed: 10_200, created: 10_199 });
    const links = (await db.ds.query(
      'SELECT l.customer_id, l.sync_run_id, i.type, i.value FROM identity_links l JOIN identities i ON i.id = l.identity_id',
    )) as Record<string, unknown>[];
    expect(links).toEqual([
      {
        customer_id: '00000000-0000-7000-8000-000000000007',
        sync_run_id: expect.anything(),
        type: 'oa_openid',
        value: aud.openid(7),
      },
    ]);
    expect(String(links[0]!.sync_run_id)).toBe(end.id);
  });

  it('an erased person (tombstoned identity) is not stored again', async () => {
    const oa = h.oa();
    const openid = h.emu.state.world.oaApp(oa.appId)!.openid(11);
    const hash = new IdentityHasher(h.config.security.dataKey).hash({
      type: 'oa_openid',
      scope: oa.appId,
      value: openid,
    });
    await db.ds.query(
      "INSERT INTO erasure_tombstones (identity_hash, identity_type, customer_id, created_at) VALUES (?, 'oa_openid', 'gone', '2020-01-01 00:00:00.000')",
      [hash],
    );
    const end = await (await h.rt.syncs.start(oa.id, 'followers')).done;
    expect(end.status).toBe('done');
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM identities WHERE value = ?', [openid])).toBe(0);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM oa_subscriptions WHERE openid = ?', [openid])).toBe(0);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM customers')).toBe(10_199);
  });

  it('a second OA (not bound to an open platform) joins nobody: openids only; both syncs share one customer per unionid', async () => {
    const first = await (await h.rt.syncs.start(h.oa(0).id, 'followers')).done;
    const second = await (await h.rt.syncs.start(h.oa(1).id, 'followers')).done;
    expect(first.status).toBe('done');
    expect(second.status).toBe('done');
    const aud = h.emu.state.world.oaApp(h.oa(1).appId)!;
    expect(second.processed).toBe(aud.subscribedCount);
    expect(
      await count(db.ds, "SELECT COUNT(*) AS n FROM identities WHERE type = 'oa_openid' AND scope = ?", [
        h.oa(1).appId,
      ]),
    ).toBe(aud.subscribedCount);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM customers')).toBe(10_200 + aud.subscribedCount);
  });

  it('marks followers the next run does not see as unsubscribed, and a re-run changes nothing else', async () => {
    const oa = h.oa();
    const aud = h.emu.state.world.oaApp(oa.appId)!;
    expect((await (await h.rt.syncs.start(oa.id, 'followers')).done).status).toBe('done');
    const gone = [5, 6, 9_999, 10_000, 10_199].filter((s) => aud.isFollower(s));
    for (const s of gone) aud.unsubscribe(s);
    try {
      const second = await (await h.rt.syncs.start(oa.id, 'followers')).done;
      expect(second).toMatchObject({ status: 'done', processed: 10_200 - gone.length, created: 0 });
      const rows = (await db.ds.query(
        'SELECT openid FROM oa_subscriptions WHERE subscribed = 0 AND unsubscribe_time IS NOT NULL ORDER BY openid',
      )) as { openid: string }[];
      expect(rows.map((r) => r.openid)).toEqual(gone.map((s) => aud.openid(s)).sort());
      expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM customers')).toBe(10_200);
      expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM identities')).toBe(20_400);
      expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM sync_runs')).toBe(2);
    } finally {
      for (const s of gone) aud.subscribe(s, aud.subscribeTime.get(s), aud.scene.get(s));
    }
  });

  it('one running sync per (account, resource): a second start is refused while the first runs', async () => {
    const first = await h.rt.syncs.start(h.oa().id, 'followers');
    await expect(h.rt.syncs.start(h.oa().id, 'followers')).rejects.toMatchObject({ code: 'SYNC_RUNNING' });
    expect((await first.done).status).toBe('done');
  });

  it('stop() lets the chunk being written finish and pauses at the page checkpoint; the next start resumes the same run', async () => {
    // Page by page, one chunk at a time: the stop requested at page 1's checkpoint lands before any chunk of page 2.
    const syncs = new SyncService({
      ds: db.ds,
      config: h.config,
      logger: h.app.logger,
      now: h.app.now,
      tasks: () =>
        followersSync({
          ds: db.ds,
          client: (id) => h.rt.clients.oa(id),
          resolver: h.rt.resolver,
          windowPages: 1,
          writers: 1,
          lookahead: 0,
        }),
    });
    let paused = false;
    const first = await syncs.start(h.oa().id, 'followers', {
      onProgress: (p) => {
        if (!paused && p.processed >= 10_000) {
          paused = true;
          void syncs.stop();
        }
      },
    });
    const stopped = await first.done;
    expect(stopped).toMatchObject({ status: 'paused', processed: 10_000, finishedAt: null });
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM customers')).toBe(10_000);
    const again = await h.rt.syncs.start(h.oa().id, 'followers');
    expect(again.run.id).toBe(first.run.id);
    expect(await again.done).toMatchObject({ status: 'done', processed: 10_200 });
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM customers')).toBe(10_200);
  });
});

describe('OA followers full sync, list ending on a short last page', () => {
  const db = useTestDatabase();
  let h: SyncHarness;

  beforeAll(async () => {
    h = await startSyncHarness(db, {
      followers: 10_500,
      officialAccounts: 1,
      followerListEnding: 'short-page',
      corps: 0,
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('stops on an empty next_openid without the extra empty call', async () => {
    const end = await (await h.rt.syncs.start(h.oa().id, 'followers')).done;
    expect(end).toMatchObject({ status: 'done', processed: 10_500 });
    const calls = h.emu.state.recorder.list().filter((r: { path: string }) => r.path.endsWith('/cgi-bin/user/get'));
    expect(calls).toHaveLength(2);
  });
});
