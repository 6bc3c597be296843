import { select } from '../src/storage/sql';
import { useTestDatabase } from './helpers/describe-db';
import { testConfig } from './helpers/test-app';
import { startSyncHarness, testServices, type SyncHarness } from './syncs/sync-harness';

/**
 * The composition root (src/services.ts, DESIGN §2): every service built once per graph, from the pieces before
 * it, and one token manager per account per process.
 */
describe('createServices', () => {
  const db = useTestDatabase();

  it('builds two independent graphs when called twice, each wired to its own pieces', () => {
    const config = testConfig(db.url);
    const [a, b] = [testServices(db.ds, config), testServices(db.ds, config)];
    expect(a.instanceId).not.toBe(b.instanceId);
    for (const piece of [
      'clients',
      'identity',
      'sessionTokens',
      'inboxWriter',
      'resolver',
      'syncs',
      'frontDoors',
      'tags',
    ] as const)
      expect(a[piece]).not.toBe(b[piece]);
    expect(a.clients.tokens).not.toBe(b.clients.tokens);
    // Within one graph the pieces are the same instances everywhere they are used.
    expect(a.frontDoors.identity).toBe(a.identity);
    expect(a.frontDoors.clients).toBe(a.clients);
    expect(a.frontDoors.tokens).toBe(a.sessionTokens);
    expect(a.clients.singleAttempt.tokens).toBe(a.clients.tokens);
    expect(a.syncs.instance).toBe(a.instanceId);
    expect(a.tags.pusher.owner).toBe(a.instanceId);
  });

  it('reads the clock through the graph, so moving it moves every service', () => {
    const s = testServices(db.ds, testConfig(db.url));
    s.now = () => Date.parse('2031-01-01T00:00:00Z');
    const token = s.sessionTokens.sign('probe', {}, 60);
    expect(s.sessionTokens.verify<{ iat: number }>('probe', token).iat).toBe(Date.parse('2031-01-01T00:00:00Z') / 1000);
  });

  describe('against the emulator', () => {
    let h: SyncHarness;
    beforeAll(async () => {
      h = await startSyncHarness(db, { followers: 30, officialAccounts: 1, corps: 0, miniPrograms: 0, merchants: 0 });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('fetches one access_token for a full sync and the tag pushes after it (one token manager per account)', async () => {
      // A graph of its own whose in-memory token cache outlives the test, so a second fetch can only come from a
      // second token manager.
      const s = testServices(db.ds, h.config, {
        clients: { http: { baseDelayMs: 1, maxDelayMs: 5 }, tokens: { cacheTtlMs: 3_600_000 } },
      });
      const oa = h.oa();
      const appId = (oa as { appId: string }).appId;
      try {
        const end = await (await s.syncs.start(oa.id, 'followers')).done;
        expect(end.status).toBe('done');
        // The stored copy goes: a token manager other than the sync's would have to ask WeChat again.
        await db.ds.query('DELETE FROM access_tokens');
        const customers = (
          await select<{ customer_id: string }>(
            db.ds,
            'SELECT customer_id FROM oa_subscriptions WHERE app_id = ? ORDER BY customer_id LIMIT 5',
            [appId],
          )
        ).map((r) => r.customer_id);
        expect(customers).toHaveLength(5);

        const tag = await s.tags.catalog.create(
          { name: 'Services probe', bindings: [{ channel: 'oa', appId }] },
          { name: 'test' },
        );
        await s.tags.assignments.assign(tag.id, customers, { name: 'test' });
        const pushed = await s.tags.pusher.drain();
        expect(pushed.rowsDone).toBeGreaterThan(0);
        expect(pushed.rowsDead).toBe(0);
      } finally {
        await s.syncs.stop();
      }

      const calls = h.emu.state.counters.snapshot();
      const tagging = Object.entries(calls).filter(([api]) => api.includes('tags/members/batchtagging'));
      expect(tagging.reduce((n, [, c]) => n + c.ok, 0)).toBeGreaterThan(0);
      const tokenFetches = Object.entries(calls)
        .filter(([api]) => /\/cgi-bin\/(stable_token|token)$/.test(api))
        .reduce((n, [, c]) => n + c.calls, 0);
      expect(tokenFetches).toBe(1);
    });
  });
});
