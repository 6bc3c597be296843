import { RefreshQueueRepository, enqueueRefresh } from '../../src/storage/syncs/refresh-queue.repository';
import { hintOf } from '../../src/syncs/refresh/refresh-hints.hook';
import { RefreshWorker } from '../../src/syncs/refresh/refresh.worker';
import { fromDbTime } from '../../src/storage/sql';
import { clearTables } from '../helpers/test-db';
import { useTestDatabase } from '../helpers/describe-db';
import { count, startSyncHarness, type SyncHarness } from './sync-harness';

describe('refresh queue: callbacks are hints, re-reads are the truth', () => {
  const db = useTestDatabase();
  let h: SyncHarness;
  let worker: RefreshWorker;
  let queue: RefreshQueueRepository;

  beforeAll(async () => {
    h = await startSyncHarness(db, { followers: 60, wecomContacts: 40, wecomStaff: 4 });
    worker = new RefreshWorker(h.app, { backoffBaseMs: 1 }, h.rt);
    queue = new RefreshQueueRepository(db.ds);
  });
  afterAll(async () => {
    await worker.stop();
    await h.close();
  });
  beforeEach(async () => {
    await clearTables(db.ds);
    await db.ds.query('DELETE FROM refresh_queue');
  });

  const now = () => new Date();
  /** The emulator's count of calls to one API path (its counters are keyed by host and path). */
  const calls = (path: string) =>
    Object.entries(h.emu.state.counters.snapshot())
      .filter(([api]) => api.endsWith(path))
      .reduce((n, [, c]) => n + c.calls, 0);

  it('asks for a re-read on WeCom add/edit and OA subscribe only', () => {
    const base = {
      channel: 'wecom' as const,
      account: 'ww1',
      occurredAt: '2030-01-01T00:00:00Z',
      staffUserId: 's',
      externalUserId: 'wmX',
    };
    expect(hintOf({ ...base, kind: 'follow.added', half: false })).toEqual({
      kind: 'wecom_contact',
      account: 'ww1',
      subject: 'wmX',
    });
    expect(hintOf({ ...base, kind: 'follow.added', half: true })).toBeUndefined();
    expect(hintOf({ ...base, kind: 'follow.edited' })).toEqual({
      kind: 'wecom_contact',
      account: 'ww1',
      subject: 'wmX',
    });
    expect(hintOf({ ...base, kind: 'follow.removed', by: 'staff' })).toBeUndefined();
    const oa = {
      channel: 'official-account' as const,
      account: 'wx1',
      occurredAt: '2030-01-01T00:00:00Z',
      openid: 'oX',
    };
    expect(hintOf({ ...oa, kind: 'subscription.changed', subscribed: true })).toEqual({
      kind: 'oa_user',
      account: 'wx1',
      subject: 'oX',
    });
    expect(hintOf({ ...oa, kind: 'subscription.changed', subscribed: false })).toBeUndefined();
  });

  it('coalesces repeated hints into one pending read', async () => {
    const hint = { kind: 'oa_user' as const, account: h.oa().appId, subject: 'oSame' };
    await enqueueRefresh(db.ds, [hint], now());
    await enqueueRefresh(db.ds, [hint], now());
    await enqueueRefresh(db.ds, [hint, { ...hint, subject: 'oOther' }], now());
    expect(await queue.counts()).toEqual({ pending: 2 });
  });

  it('a hint arriving while its read runs puts the row back instead of losing the change', async () => {
    const hint = { kind: 'oa_user' as const, account: h.oa().appId, subject: 'oBusy' };
    await enqueueRefresh(db.ds, [hint], new Date(Date.now() - 1000));
    const [job] = await queue.claim('w', 10, now(), new Date(Date.now() + 60_000));
    await enqueueRefresh(db.ds, [hint], now());
    await queue.complete(db.ds, job!, now());
    expect(await queue.counts()).toEqual({ pending: 1 });
    const [again] = await queue.claim('w', 10, now(), new Date(Date.now() + 60_000));
    await queue.complete(db.ds, again!, now());
    expect(await queue.counts()).toEqual({ done: 1 });
    await enqueueRefresh(db.ds, [hint], now());
    expect(await queue.counts()).toEqual({ done: 1, pending: 1 });
  });

  it('completing a stored batch puts back only the rows hinted again during their read', async () => {
    const hint = (subject: string) => ({ kind: 'oa_user' as const, account: h.oa().appId, subject });
    await enqueueRefresh(db.ds, [hint('oCalm'), hint('oHintedAgain')], new Date(Date.now() - 1000));
    const jobs = await queue.claim('w', 10, now(), new Date(Date.now() + 60_000));
    expect(jobs).toHaveLength(2);
    await enqueueRefresh(db.ds, [hint('oHintedAgain')], now());
    await queue.completeAll(db.ds, jobs, now());
    const rows = (await db.ds.query('SELECT subject, status, attempts FROM refresh_queue ORDER BY subject')) as {
      subject: string;
      status: string;
      attempts: unknown;
    }[];
    expect(rows.map((r) => [r.subject, r.status, Number(r.attempts)])).toEqual([
      ['oCalm', 'done', 1],
      ['oHintedAgain', 'pending', 0],
    ]);
  });

  it('WeCom: re-reads the contact and stores remark, relation tags and unionid; relations WeCom dropped are deleted', async () => {
    const corp = h.emu.state.world.corp(h.wecom().corpId)!;
    const slot = corp.relationsBySlot.findIndex((rels, s) => rels.length >= 1 && corp.slotType.get(s) === 1);
    const rel = corp.relationsBySlot[slot]![0]!;
    const ext = corp.externalUserid(slot);
    rel.remark = 'refreshed';
    const tag = corp.tags.groups()[0]!.tags[0]!;
    rel.tags = [tag.num];
    // A stale relation the gateway still believes in.
    await db.ds.query(
      "INSERT INTO wecom_follows (corp_id, staff_userid, external_userid, deleted, created_at, updated_at) VALUES (?, 'ghost', ?, 0, '2020-01-01 00:00:00.000', '2020-01-01 00:00:00.000')",
      [corp.corp.corpId, ext],
    );
    await enqueueRefresh(db.ds, [{ kind: 'wecom_contact', account: corp.corp.corpId, subject: ext }], now());
    expect(await worker.drain()).toBe(1);
    const rows = (await db.ds.query(
      'SELECT staff_userid, remark, tags, deleted, customer_id FROM wecom_follows WHERE external_userid = ? ORDER BY staff_userid',
      [ext],
    )) as Record<string, unknown>[];
    const live = rows.find((r) => r.staff_userid === rel.staff.userid)!;
    expect(live).toMatchObject({ remark: 'refreshed' });
    expect(JSON.parse(live.tags as string)).toEqual([tag.id]);
    expect(Number(rows.find((r) => r.staff_userid === 'ghost')!.deleted)).toBe(1);
    expect(
      await count(
        db.ds,
        "SELECT COUNT(*) AS n FROM identities WHERE customer_id = ? AND type IN ('unionid', 'wecom_external_userid')",
        [live.customer_id],
      ),
    ).toBe(2);
    expect(await queue.counts()).toEqual({ done: 1 });
  });

  it('WeCom: a contact that no longer exists (40096/84061) leaves every relation of it deleted', async () => {
    await db.ds.query(
      "INSERT INTO wecom_follows (corp_id, staff_userid, external_userid, deleted, created_at, updated_at) VALUES (?, 'zhangsan', 'wmGoneAAAAAAAAAAAAAAAAAAAAAA', 0, '2020-01-01 00:00:00.000', '2020-01-01 00:00:00.000')",
      [h.wecom().corpId],
    );
    await enqueueRefresh(
      db.ds,
      [{ kind: 'wecom_contact', account: h.wecom().corpId, subject: 'wmGoneAAAAAAAAAAAAAAAAAAAAAA' }],
      now(),
    );
    await worker.drain();
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM wecom_follows WHERE deleted = 1')).toBe(1);
    expect(await queue.counts()).toEqual({ done: 1 });
  });

  it('WeCom: contacts claimed together are stored in one go, a vanished one among them ends its relation', async () => {
    const corp = h.emu.state.world.corp(h.wecom().corpId)!;
    const slots = corp.relationsBySlot
      .map((rels, s) => ({ rels, s }))
      .filter(({ rels, s }) => rels.length >= 1 && corp.slotType.get(s) === 1)
      .slice(1, 3);
    const externals = slots.map(({ s }) => corp.externalUserid(s));
    const gone = 'wmGoneBBBBBBBBBBBBBBBBBBBBBB';
    await db.ds.query(
      "INSERT INTO wecom_follows (corp_id, staff_userid, external_userid, deleted, created_at, updated_at) VALUES (?, 'zhangsan', ?, 0, '2020-01-01 00:00:00.000', '2020-01-01 00:00:00.000')",
      [h.wecom().corpId, gone],
    );
    await enqueueRefresh(
      db.ds,
      [...externals, gone].map((subject) => ({ kind: 'wecom_contact' as const, account: h.wecom().corpId, subject })),
      now(),
    );
    expect(await worker.drain()).toBe(3);
    for (const [i, ext] of externals.entries()) {
      const live = (await db.ds.query(
        'SELECT staff_userid, customer_id FROM wecom_follows WHERE external_userid = ? AND deleted = 0',
        [ext],
      )) as { staff_userid: string; customer_id: string }[];
      expect(live.map((r) => r.staff_userid).sort()).toEqual(slots[i]!.rels.map((r) => r.staff.userid).sort());
      expect(
        await count(
          db.ds,
          "SELECT COUNT(*) AS n FROM identities WHERE customer_id = ? AND type IN ('unionid', 'wecom_external_userid')",
          [live[0]!.customer_id],
        ),
      ).toBe(2);
    }
    expect(
      await count(db.ds, 'SELECT COUNT(*) AS n FROM wecom_follows WHERE external_userid = ? AND deleted = 1', [gone]),
    ).toBe(1);
    expect(await queue.counts()).toEqual({ done: 3 });
  });

  it('OA: user/info brings the unionid a subscribe callback lacks and fills the subscription', async () => {
    const aud = h.emu.state.world.oaApp(h.oa().appId)!;
    const openid = aud.openid(3);
    await enqueueRefresh(db.ds, [{ kind: 'oa_user', account: h.oa().appId, subject: openid }], now());
    await worker.drain();
    const [sub] = (await db.ds.query('SELECT customer_id, subscribed, scene FROM oa_subscriptions WHERE openid = ?', [
      openid,
    ])) as Record<string, unknown>[];
    expect(Number(sub!.subscribed)).toBe(1);
    expect(sub!.scene).toMatch(/^ADD_SCENE_/);
    const ids = (await db.ds.query('SELECT type FROM identities WHERE customer_id = ? ORDER BY type', [
      sub!.customer_id,
    ])) as { type: string }[];
    expect(ids.map((i) => i.type)).toEqual(['oa_openid', 'unionid']);
  });

  it('OA: subscribers claimed together are read with one batchget and linked in one go', async () => {
    const aud = h.emu.state.world.oaApp(h.oa().appId)!;
    const openids = [10, 11, 12, 13].map((i) => aud.openid(i));
    const [batch0, single0] = [calls('/cgi-bin/user/info/batchget'), calls('/cgi-bin/user/info')];
    await enqueueRefresh(
      db.ds,
      openids.map((subject) => ({ kind: 'oa_user' as const, account: h.oa().appId, subject })),
      now(),
    );
    expect(await worker.drain()).toBe(4);
    expect(calls('/cgi-bin/user/info/batchget') - batch0).toBe(1);
    expect(calls('/cgi-bin/user/info') - single0).toBe(0);
    const linked = (await db.ds.query(
      `SELECT s.openid, COUNT(i.id) AS n FROM oa_subscriptions s JOIN identities i ON i.customer_id = s.customer_id
       WHERE s.openid IN (?, ?, ?, ?) AND i.type IN ('oa_openid', 'unionid') GROUP BY s.openid`,
      openids,
    )) as { n: unknown }[];
    expect(linked.map((r) => Number(r.n))).toEqual([2, 2, 2, 2]);
    expect(await queue.counts()).toEqual({ done: 4 });
  });

  it('OA: an openid WeChat refuses in a batchget (40003) sends each subscriber to user/info alone', async () => {
    const aud = h.emu.state.world.oaApp(h.oa().appId)!;
    const good = aud.openid(20);
    const single0 = calls('/cgi-bin/user/info');
    await enqueueRefresh(
      db.ds,
      [good, 'o-not-a-follower-of-this-oa'].map((subject) => ({
        kind: 'oa_user' as const,
        account: h.oa().appId,
        subject,
      })),
      now(),
    );
    await worker.drain();
    expect(calls('/cgi-bin/user/info') - single0).toBe(2);
    const [sub] = (await db.ds.query('SELECT subscribed FROM oa_subscriptions WHERE openid = ?', [good])) as {
      subscribed: unknown;
    }[];
    expect(Number(sub!.subscribed)).toBe(1);
    expect(await queue.counts()).toEqual({ done: 2 });
  });

  it('gives up at once on an account no longer configured, and retries WeChat errors later', async () => {
    await enqueueRefresh(db.ds, [{ kind: 'oa_user', account: 'wxGone', subject: 'o1' }], now());
    await worker.drainOnce();
    expect(await queue.counts()).toEqual({ failed: 1 });

    await db.ds.query('DELETE FROM refresh_queue');
    h.emu.state.chaos.set({ seed: 1, rules: [{ api: '*/cgi-bin/user/info', errcode: -1, rate: 1 }], latencyMs: 0 });
    try {
      await enqueueRefresh(
        db.ds,
        [{ kind: 'oa_user', account: h.oa().appId, subject: h.emu.state.world.oaApp(h.oa().appId)!.openid(4) }],
        now(),
      );
      await worker.drainOnce();
      const [row] = (await db.ds.query('SELECT status, attempts, last_error FROM refresh_queue')) as Record<
        string,
        unknown
      >[];
      expect(row).toMatchObject({ status: 'pending' });
      expect(Number(row!.attempts)).toBe(1);
      expect(String(row!.last_error)).toContain('-1');
    } finally {
      h.emu.state.chaos.set({ seed: 1, rules: [], latencyMs: 0 });
    }
  });

  it('a WeCom read over the frequency limit (45009) waits out the window instead of being given up', async () => {
    const corp = h.emu.state.world.corp(h.wecom().corpId)!;
    const slot = corp.relationsBySlot.findIndex((rels) => rels.length >= 1);
    const external = corp.externalUserid(slot);
    h.emu.state.chaos.set({
      seed: 1,
      rules: [{ api: '*/cgi-bin/externalcontact/get', errcode: 45009, rate: 1 }],
      latencyMs: 0,
    });
    try {
      await enqueueRefresh(db.ds, [{ kind: 'wecom_contact', account: h.wecom().corpId, subject: external }], now());
      const before = Date.now();
      await worker.drainOnce();
      const [row] = (await db.ds.query('SELECT status, next_attempt_at FROM refresh_queue')) as {
        status: string;
        next_attempt_at: unknown;
      }[];
      expect(row!.status).toBe('pending');
      const next = fromDbTime(row!.next_attempt_at)!;
      expect(next.getTime()).toBeGreaterThanOrEqual(before + 59_000);
    } finally {
      h.emu.state.chaos.set({ seed: 1, rules: [], latencyMs: 0 });
    }
  });

  it('a read whose token WeChat keeps rejecting (40014) waits for a retry instead of failing', async () => {
    h.emu.state.chaos.set({
      seed: 1,
      rules: [{ api: '*/cgi-bin/externalcontact/get', errcode: 40014, rate: 1 }],
      latencyMs: 0,
    });
    try {
      const corp = h.emu.state.world.corp(h.wecom().corpId)!;
      const slot = corp.relationsBySlot.findIndex((rels) => rels.length >= 1);
      await enqueueRefresh(
        db.ds,
        [{ kind: 'wecom_contact', account: corp.corp.corpId, subject: corp.externalUserid(slot) }],
        now(),
      );
      await worker.drainOnce();
      const [row] = (await db.ds.query('SELECT status, attempts, last_error FROM refresh_queue')) as Record<
        string,
        unknown
      >[];
      expect(row).toMatchObject({ status: 'pending' });
      expect(String(row!.last_error)).toContain('40014');
    } finally {
      h.emu.state.chaos.set({ seed: 1, rules: [], latencyMs: 0 });
    }
  });
});
