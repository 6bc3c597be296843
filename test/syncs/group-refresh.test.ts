import type { WecomCorp } from '../../emulator/world/wecom-corp';
import { enqueueRefresh } from '../../src/storage/syncs/refresh-queue.repository';
import { hintOf } from '../../src/syncs/refresh/refresh-hints.hook';
import { RefreshWorker } from '../../src/syncs/refresh/refresh.worker';
import { groupMembers, recordLeaves } from '../../src/storage/groups/wecom-group.repository';
import { clearTables } from '../helpers/test-db';
import { useTestDatabase } from '../helpers/describe-db';
import { startSyncHarness, type SyncHarness } from './sync-harness';

/** change_external_chat is a hint: the group is re-read with groupchat/get (DESIGN §10.1). */
describe('customer group re-reads', () => {
  const db = useTestDatabase();
  let h: SyncHarness;
  let worker: RefreshWorker;
  let corp: WecomCorp;
  let corpId: string;
  const reread = async (chatId: string) => {
    await enqueueRefresh(db.ds, [{ kind: 'wecom_group', account: corpId, subject: chatId }], new Date());
    expect(await worker.drain()).toBe(1);
  };

  beforeAll(async () => {
    h = await startSyncHarness(db, {
      wecomStaff: 3,
      wecomContacts: 20,
      followers: 30,
      wecomGroups: 3,
      wecomGroupMembers: 6,
    });
    worker = new RefreshWorker(h.app, { backoffBaseMs: 1 }, h.rt);
    corpId = h.wecom().corpId;
    corp = h.emu.state.world.corp(corpId)!;
  });
  afterAll(async () => {
    await worker.stop();
    await h.close();
  });
  beforeEach(async () => {
    await clearTables(db.ds);
  });

  it('asks for a re-read of the group on every change but the dismiss', () => {
    const base = { channel: 'wecom' as const, account: corpId, occurredAt: '2030-01-01T00:00:00Z', chatId: 'wr1' };
    expect(hintOf({ ...base, kind: 'group.changed', change: 'created' })).toEqual({
      kind: 'wecom_group',
      account: corpId,
      subject: 'wr1',
    });
    expect(
      hintOf({
        ...base,
        kind: 'group.changed',
        change: 'updated',
        detail: 'add_member',
        members: { direction: 'joined', userIds: ['wmX'] },
      }),
    ).toEqual({ kind: 'wecom_group', account: corpId, subject: 'wr1' });
    expect(hintOf({ ...base, kind: 'group.dismissed' })).toBeUndefined();
  });

  it('stores a group first heard of by callback, then who joined and who left, and a dismissed group as dismissed', async () => {
    const owner = corp.staff.find((s) => s.contactFeature)!.userid;
    const g = await h.control<{ chatId: string; members: { userid: string }[] }>(`/wecom/${corpId}/groups`, {
      owner,
      name: '回调群',
      members: [{ stranger: 1 }, { stranger: 2 }],
    });
    await reread(g.chatId);
    const first = await groupMembers(db.ds, corpId, g.chatId);
    expect(first.map((m) => m.userid)).toEqual(g.members.map((m) => m.userid));
    const joined = (
      await h.control<{ added: { userid: string }[] }>(`/wecom/${corpId}/groups/${g.chatId}/members`, {
        members: [{ stranger: 1 }],
        joinScene: 3,
      })
    ).added[0]!;
    const leaver = g.members[1]!.userid;
    await h.control(`/wecom/${corpId}/groups/${g.chatId}/members/remove`, { members: [leaver] });
    await reread(g.chatId);
    const after = await groupMembers(db.ds, corpId, g.chatId);
    expect(after.find((m) => m.userid === leaver)!.leftAt).toBeInstanceOf(Date);
    expect(after.find((m) => m.userid === joined.userid)).toMatchObject({ joinScene: 3, leftAt: null });
    const [customer] = (await db.ds.query(
      "SELECT customer_id FROM identities WHERE type = 'wecom_external_userid' AND value = ?",
      [joined.userid],
    )) as { customer_id: string }[];
    expect(customer).toBeDefined();
    await h.control(`/wecom/${corpId}/groups/${g.chatId}/dismiss`, {});
    await reread(g.chatId);
    const [row] = (await db.ds.query('SELECT status FROM wecom_groups WHERE chat_id = ?', [g.chatId])) as {
      status: string;
    }[];
    expect(row!.status).toBe('dismissed');
    expect((await groupMembers(db.ds, corpId, g.chatId)).length).toBe(after.length);
  });

  it('a leave heard only by callback is kept with its scene, as staff when the directory knows the userid; a later read that lists the member makes them current', async () => {
    await db.ds.query(
      "INSERT INTO wecom_staff (corp_id, userid, status, created_at, updated_at) VALUES (?, 'lisi', 'active', '2030-01-01 00:00:00.000', '2030-01-01 00:00:00.000')",
      [corpId],
    );
    const chat = corp.groups.chats[0]!;
    const ext = corp.externalUserid(chat.members.find((m) => !m.staff)!.slot);
    const at = new Date('2030-01-02T03:04:05Z');
    await recordLeaves(db.ds, corpId, chat.chatId, ['lisi', ext], 1, at, new Date());
    const rows = (await db.ds.query(
      'SELECT userid, member_type, quit_scene FROM wecom_group_members ORDER BY userid',
    )) as Record<string, unknown>[];
    expect(rows.map((r) => [r.userid, Number(r.member_type), Number(r.quit_scene)])).toEqual([
      ['lisi', 1, 1],
      [ext, 2, 1],
    ]);
    await reread(chat.chatId);
    expect((await groupMembers(db.ds, corpId, chat.chatId)).find((m) => m.userid === ext)!.leftAt).toBeNull();
  });
});
