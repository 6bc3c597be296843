import type { Account } from '../../config';
import type { WecomCorp } from '../../emulator/world/wecom-corp';
import type { SyncRuntime } from '../../src/syncs/sync-runtime';
import { clearTables } from '../helpers/test-db';
import { useTestDatabase } from '../helpers/describe-db';
import { testServices, emulatorConfig, startSyncHarness, type SyncHarness } from './sync-harness';

interface StaffRow {
  userid: string;
  name: string | null;
  departments: string | null;
  status: string;
}

/** The staff sync (DESIGN §10.3) against the emulator's directory, with and without the contact-sync secret. */
describe('WeCom staff sync', () => {
  const db = useTestDatabase();
  let h: SyncHarness;
  let corp: WecomCorp;
  const rows = async () =>
    (await db.ds.query('SELECT userid, name, departments, status FROM wecom_staff ORDER BY userid')) as StaffRow[];
  /** Emulator call counts by API path (`user/get`, …). */
  const counters = async () => {
    const out: Record<string, { calls: number; errors: Record<string, number> }> = {};
    for (const [api, c] of Object.entries(h.emu.state.counters.snapshot())) out[api.replace(/^.*\/cgi-bin\//, '')] = c;
    return out;
  };

  /** A runtime whose WeCom account is changed (secrets removed or swapped). */
  const runtimeWith = (edit: (a: Record<string, unknown>) => Record<string, unknown>): SyncRuntime => {
    const accounts = h.config.accounts.map((a) => (a.kind === 'wecom' ? edit({ ...a }) : a));
    const config = emulatorConfig(db.ds, db.url, h.emu, { accounts: accounts as unknown as Account[] });
    return testServices(db.ds, config, { clients: { http: { baseDelayMs: 1, maxDelayMs: 5 } } });
  };

  beforeAll(async () => {
    h = await startSyncHarness(db, { wecomStaff: 30, wecomContacts: 10, followers: 5 });
    corp = h.emu.state.world.corp(h.wecom().corpId)!;
    corp.staff[3]!.visibleToAgent = false;
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await clearTables(db.ds);
    h.emu.state.counters.reset();
  });

  it('reads the whole directory with the contact-sync secret: names, departments with names, everyone active', async () => {
    const end = await (await h.rt.syncs.start(h.wecom().id, 'staff')).done;
    const members = corp.members;
    expect(end).toMatchObject({ status: 'done', processed: members.length, total: members.length });
    const got = await rows();
    expect(got.map((r) => r.userid)).toEqual(members.map((s) => s.userid).sort());
    const first = got.find((r) => r.userid === corp.staff[0]!.userid)!;
    expect(first).toMatchObject({ name: corp.staff[0]!.name, status: 'active' });
    expect(JSON.parse(first.departments!)).toEqual([
      { id: 2, name: '销售部' },
      { id: 1, name: '示例品牌有限公司' },
    ]);
    // The contact-sync secret sees members outside the sidebar app's range too.
    expect(got.find((r) => r.userid === corp.staff[3]!.userid)!.name).toBe(corp.staff[3]!.name);
    expect((await counters())['user/list_id']!.calls).toBe(1);
  });

  it('marks members the directory no longer lists as left, and keeps them', async () => {
    await (
      await h.rt.syncs.start(h.wecom().id, 'staff')
    ).done;
    const leaver = corp.addStaff('leaver-1', '离职员工');
    await (
      await h.rt.syncs.start(h.wecom().id, 'staff')
    ).done;
    expect((await rows()).find((r) => r.userid === 'leaver-1')).toMatchObject({ name: '离职员工', status: 'active' });
    leaver.left = true;
    const end = await (await h.rt.syncs.start(h.wecom().id, 'staff')).done;
    expect(end.status).toBe('done');
    expect((await rows()).find((r) => r.userid === 'leaver-1')).toMatchObject({ name: '离职员工', status: 'left' });
    expect((await rows()).filter((r) => r.status === 'left')).toHaveLength(1);
    leaver.left = false;
  });

  it('falls back to the customer-contact members when list_id answers 48002, names through the sidebar app, never marking anyone left', async () => {
    await db.ds.query(
      "INSERT INTO wecom_staff (corp_id, userid, name, status, created_at, updated_at) VALUES (?, 'not-listed', '别的部门', 'active', ?, ?)",
      [h.wecom().corpId, '2024-01-01 00:00:00.000', '2024-01-01 00:00:00.000'],
    );
    // A secret that is not the contact-sync one: list_id refuses it.
    const rt = runtimeWith((a) => ({ ...a, directorySecret: a.agentSecret }));
    const end = await (await rt.syncs.start(h.wecom().id, 'staff')).done;
    const withFeature = corp.members.filter((s) => s.contactFeature);
    expect(end).toMatchObject({ status: 'done', processed: withFeature.length });
    const got = await rows();
    expect(got.map((r) => r.userid).sort()).toEqual([...withFeature.map((s) => s.userid), 'not-listed'].sort());
    expect(got.find((r) => r.userid === 'not-listed')!.status).toBe('active');
    // Outside the app's visible range (60011): listed, name unknown.
    expect(got.find((r) => r.userid === corp.staff[3]!.userid)).toMatchObject({ name: null, status: 'active' });
    const c = await counters();
    expect(c['user/list_id']!.errors).toEqual({ 48002: 1 });
    expect(c['user/get']!.errors).toEqual({ 60011: 1 });
  });

  it('without any directory secret reads the customer-contact members only, without calling list_id', async () => {
    const rt = runtimeWith(({ directorySecret: _d, ...a }) => a);
    const end = await (await rt.syncs.start(h.wecom().id, 'staff')).done;
    expect(end.status).toBe('done');
    expect(await rows()).toHaveLength(corp.members.filter((s) => s.contactFeature).length);
    expect((await counters())['user/list_id']).toBeUndefined();
  });

  it('stopped after a page of names, resumes the same run from its checkpoint without reading anyone twice', async () => {
    const started = await h.rt.syncs.start(h.wecom().id, 'staff', {
      onProgress: (p) => {
        if (p.processed > 0 && p.status === 'running') void h.rt.syncs.stop();
      },
    });
    const paused = await started.done;
    expect(paused.status).toBe('paused');
    expect(paused.processed).toBeGreaterThan(0);
    expect(paused.processed).toBeLessThan(corp.members.length);
    const resumed = await h.rt.syncs.start(h.wecom().id, 'staff');
    expect(resumed.run.id).toBe(paused.id);
    const end = await resumed.done;
    expect(end).toMatchObject({ status: 'done', processed: corp.members.length });
    const c = await counters();
    expect(c['user/get']!.calls).toBe(corp.members.length);
    expect(c['user/list_id']!.calls).toBe(1);
    expect(await rows()).toHaveLength(corp.members.length);
  });
});
