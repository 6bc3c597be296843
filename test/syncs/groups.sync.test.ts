import type { WecomCorp } from '../../emulator/world/wecom-corp';
import { ErasureService } from '../../src/customers/erasure.service';
import { groupMembers } from '../../src/storage/groups/wecom-group.repository';
import { clearTables } from '../helpers/test-db';
import { useTestDatabase } from '../helpers/describe-db';
import { count, startSyncHarness, type SyncHarness } from './sync-harness';

const GET = 'qyapi.weixin.qq.com/cgi-bin/externalcontact/groupchat/get';
const LIST = 'qyapi.weixin.qq.com/cgi-bin/externalcontact/groupchat/list';

/** The customer-group sync (DESIGN §10.1) against the emulator's seeded groups. */
describe('WeCom groups sync', () => {
  const db = useTestDatabase();
  let h: SyncHarness;
  let corp: WecomCorp;
  let corpId: string;
  const sync = async () => (await h.rt.syncs.start(h.wecom().id, 'groups')).done;
  const calls = (api: string) => h.emu.state.counters.snapshot()[api]?.calls ?? 0;
  const customerOf = async (type: string, value: string) =>
    (
      (await db.ds.query('SELECT customer_id FROM identities WHERE type = ? AND value = ?', [type, value])) as {
        customer_id: string;
      }[]
    )[0]?.customer_id;

  beforeAll(async () => {
    h = await startSyncHarness(db, {
      wecomStaff: 5,
      wecomContacts: 40,
      followers: 60,
      wecomGroups: 20,
      wecomGroupMembers: 12,
    });
    corpId = h.wecom().corpId;
    corp = h.emu.state.world.corp(corpId)!;
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await clearTables(db.ds);
    await h.control('/limits', { reset: true });
    h.emu.state.counters.reset();
  });

  it('stores every group and member with the fewest calls, one customer per external person', async () => {
    const end = await sync();
    expect(end).toMatchObject({ status: 'done', processed: 20 });
    expect(calls(LIST)).toBe(1);
    expect(calls(GET)).toBe(20);
    expect(await count(db.ds, "SELECT COUNT(*) AS n FROM wecom_groups WHERE status = 'active'")).toBe(20);
    const chat = corp.groups.chats[3]!;
    const stored = await groupMembers(db.ds, corpId, chat.chatId);
    expect(new Set(stored.map((m) => m.userid))).toEqual(
      new Set(chat.members.map((m) => (m.staff ? m.staff.userid : corp.externalUserid(m.slot)))),
    );
    expect(stored.every((m) => m.leftAt === null && m.name !== null)).toBe(true);
    const [row] = (await db.ds.query(
      'SELECT name, owner_userid, member_count, member_version FROM wecom_groups WHERE chat_id = ?',
      [chat.chatId],
    )) as Record<string, unknown>[];
    expect(row).toMatchObject({
      name: chat.name,
      owner_userid: chat.owner.userid,
      member_version: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(Number(row!.member_count)).toBe(chat.members.length);

    // Ground truth: each external person is exactly one customer, and a unionid lands on the same one.
    const byPerson = new Map<number, Set<string>>();
    const byCustomer = new Map<string, Set<number>>();
    for (const g of corp.groups.chats) {
      for (const m of g.members) {
        if (m.staff) continue;
        const person = corp.slotPerson.get(m.slot);
        const customer = await customerOf('wecom_external_userid', corp.externalUserid(m.slot));
        expect(customer).toBeDefined();
        byPerson.set(person, (byPerson.get(person) ?? new Set()).add(customer!));
        byCustomer.set(customer!, (byCustomer.get(customer!) ?? new Set()).add(person));
        if (corp.slotType.get(m.slot) === 1)
          expect(await customerOf('unionid', corp.corp.openPlatform!.unionCodec.encode(person))).toBe(customer);
      }
    }
    expect([...byPerson.values()].every((s) => s.size === 1)).toBe(true);
    expect([...byCustomer.values()].every((s) => s.size === 1)).toBe(true);
  });

  it('a second sync records who left and keeps a dismissed group with its history', async () => {
    expect((await sync()).status).toBe('done');
    const [kept, gone] = [corp.groups.chats[5]!, corp.groups.chats[6]!];
    const leaver = kept.members.find((m) => !m.staff)!;
    const leaverId = corp.externalUserid(leaver.slot);
    await h.control(`/wecom/${corpId}/groups/${kept.chatId}/members/remove`, { members: [leaverId], quitScene: 1 });
    await h.control(`/wecom/${corpId}/groups/${gone.chatId}/dismiss`, {});
    try {
      expect((await sync()).status).toBe('done');
      const members = await groupMembers(db.ds, corpId, kept.chatId);
      expect(members.find((m) => m.userid === leaverId)!.leftAt).toBeInstanceOf(Date);
      expect(members.filter((m) => m.leftAt === null)).toHaveLength(kept.members.length);
      const [row] = (await db.ds.query('SELECT status, dismissed_at FROM wecom_groups WHERE chat_id = ?', [
        gone.chatId,
      ])) as { status: string; dismissed_at: unknown }[];
      expect(row!.status).toBe('dismissed');
      expect(row!.dismissed_at).not.toBeNull();
      expect((await groupMembers(db.ds, corpId, gone.chatId)).length).toBe(gone.members.length);
    } finally {
      // Later tests expect the seeded world: put the member back, un-dismiss the group.
      kept.members.push(leaver);
      gone.dismissed = false;
    }
  });

  it("puts joins and leaves of a group already stored on the timeline, never a group's first memberships", async () => {
    const groupEvents = () =>
      db.ds.query(
        "SELECT customer_id, type, payload FROM events WHERE type LIKE 'wecom.group.%' ORDER BY id",
      ) as Promise<{ customer_id: string | null; type: string; payload: unknown }[]>;
    expect((await sync()).status).toBe('done');
    expect(await groupEvents()).toEqual([]);
    const chat = corp.groups.chats[7]!;
    const leaver = chat.members.find((m) => !m.staff)!;
    const leaverId = corp.externalUserid(leaver.slot);
    await h.control(`/wecom/${corpId}/groups/${chat.chatId}/members/remove`, { members: [leaverId], quitScene: 0 });
    const added = (
      await h.control(`/wecom/${corpId}/groups/${chat.chatId}/members`, { members: [{ stranger: 1 }], joinScene: 2 })
    ).added as { userid: string }[];
    try {
      expect((await sync()).status).toBe('done');
      const events = await groupEvents();
      const payload = (p: unknown) => (typeof p === 'string' ? JSON.parse(p) : p);
      expect(events.map((e) => [e.type, payload(e.payload).externalUserId]).sort()).toEqual([
        ['wecom.group.joined', added[0]!.userid],
        ['wecom.group.left', leaverId],
      ]);
      expect(payload(events.find((e) => e.type === 'wecom.group.joined')!.payload)).toMatchObject({
        chatId: chat.chatId,
        groupName: chat.name,
        joinScene: 2,
      });
      expect(events.find((e) => e.type === 'wecom.group.left')!.customer_id).toBe(
        await customerOf('wecom_external_userid', leaverId),
      );
      expect(events.find((e) => e.type === 'wecom.group.joined')!.customer_id).toBe(
        await customerOf('wecom_external_userid', added[0]!.userid),
      );
      // Nothing changed since: a third read adds nothing.
      expect((await sync()).status).toBe('done');
      expect(await groupEvents()).toHaveLength(2);
    } finally {
      chat.members.splice(
        chat.members.findIndex((m) => !m.staff && corp.externalUserid(m.slot) === added[0]!.userid),
        1,
      );
      chat.members.push(leaver);
    }
  });

  it('reads the groups of owners who left, which WeCom lists only when named, with their status', async () => {
    const owner = corp.groups.chats[0]!.owner;
    owner.left = true;
    try {
      await db.ds.query(
        "INSERT INTO wecom_staff (corp_id, userid, status, created_at, updated_at) VALUES (?, ?, 'left', '2030-01-01 00:00:00.000', '2030-01-01 00:00:00.000')",
        [corpId, owner.userid],
      );
      expect((await sync()).status).toBe('done');
      expect(calls(LIST)).toBe(2);
      expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM wecom_groups')).toBe(20);
      const owned = corp.groups.chats.filter((g) => g.owner === owner).length;
      expect(
        await count(db.ds, 'SELECT COUNT(*) AS n FROM wecom_groups WHERE owner_userid = ? AND owner_status = 1', [
          owner.userid,
        ]),
      ).toBe(owned);
    } finally {
      owner.left = false;
    }
  });

  it('erasing a customer removes their group memberships in every group', async () => {
    expect((await sync()).status).toBe('done');
    const counts = new Map<string, number>();
    for (const g of corp.groups.chats)
      for (const m of g.members)
        if (!m.staff) counts.set(corp.externalUserid(m.slot), (counts.get(corp.externalUserid(m.slot)) ?? 0) + 1);
    const [ext] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const erasure = new ErasureService(db.ds, { dataKey: h.config.security.dataKey, wecomFanout: 'all' });
    expect(
      await erasure.erase((await customerOf('wecom_external_userid', ext))!, { name: 'test', role: 'admin' }),
    ).toBeDefined();
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM wecom_group_members WHERE userid = ?', [ext])).toBe(0);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM wecom_group_members WHERE member_type = 1')).toBeGreaterThan(
      0,
    );
  });

  it('a sync stopped by WeCom part way resumes from its checkpoint without reading the stored groups again', async () => {
    // A fresh minute window, so the earlier tests' calls do not count against the limit.
    await h.control('/clock/advance', { seconds: 120 });
    await h.control('/limits', { api: GET, perMinute: 10 });
    const failed = await sync();
    expect(failed.status).toBe('failed');
    const stored = await count(db.ds, 'SELECT COUNT(*) AS n FROM wecom_groups');
    expect(stored).toBeGreaterThanOrEqual(8);
    await h.control('/limits', { reset: true });
    await h.control('/clock/advance', { seconds: 3600 });
    h.emu.state.counters.reset();
    const resumed = await h.rt.syncs.start(h.wecom().id, 'groups');
    expect(resumed.run.id).toBe(failed.id);
    expect((await resumed.done).status).toBe('done');
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM wecom_groups')).toBe(20);
    expect(calls(GET)).toBe(20 - stored);
  });
});
