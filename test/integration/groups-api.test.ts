import { accountName } from '../../config';
import { ApiKeyService } from '../../src/auth/api-key.service';
import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

interface EmuMember {
  type: 1 | 2;
  userid: string;
  joinScene: number;
}

/** `GET /api/v1/groups` and `GET /api/v1/groups/:id` (DESIGN §10.1, §13) through the real gateway after a groups sync. */
describe('customer groups in the API', () => {
  let db: TestDatabase;
  let world: World;
  let gw: RunningGateway;
  let admin: string;
  let viewer: string;
  let corpId: string;
  let owner: string;
  let ownerName: string;
  const chats: { chatId: string; name: string; members: EmuMember[] }[] = [];

  const api = async (path: string, key = viewer, init: { method?: string; json?: unknown } = {}) => {
    const res = await fetch(`${gw.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(init.json ? { 'content-type': 'application/json' } : {}),
      },
      body: init.json ? JSON.stringify(init.json) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const sync = async (resource: string) => {
    const started = await api('/syncs', admin, { method: 'POST', json: { accountId: corpId, resource } });
    expect(started.status).toBe(202);
    return waitFor(async () => {
      const r = (await api(`/syncs/${started.body.id}`, admin)).body;
      return r.status === 'done' ? r : r.status === 'failed' ? Promise.reject(new Error(r.error)) : undefined;
    }, 30_000);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await startWorld(db.url);
    gw = await gateway(world.config);
    const keys = new ApiKeyService(gw.app.ds);
    admin = (await keys.create('groups-admin', 'admin')).key;
    viewer = (await keys.create('groups-viewer', 'viewer')).key;
    corpId = world.apps.corps[0]!.corpId;
    const staff = (
      await world.control<{ staff: { userid: string; name: string; contactFeature: boolean; left?: boolean }[] }>(
        `/state/wecom/${corpId}/staff`,
      )
    ).staff;
    const o = staff.find((s) => s.contactFeature && !s.left)!;
    [owner, ownerName] = [o.userid, o.name];
    for (const name of ['售后一群', '售后二群', '新品体验群']) {
      const g = await world.control(`/wecom/${corpId}/groups`, {
        owner,
        name,
        members: [{ stranger: 1 }, { stranger: 2 }],
        joinScene: 3,
      });
      chats.push({ chatId: g.chatId, name, members: g.members });
    }
    await world.control(`/wecom/${corpId}/groups/${chats[0]!.chatId}/members/remove`, {
      members: [chats[0]!.members.find((m) => m.type === 2)!.userid],
      quitScene: 0,
    });
    await sync('staff');
    await sync('groups');
    // The member removed before the first read is unknown to Siyu; a second read after a removal records the leave.
    await world.control(`/wecom/${corpId}/groups/${chats[1]!.chatId}/members/remove`, {
      members: [chats[1]!.members.find((m) => m.type === 2)!.userid],
      quitScene: 1,
    });
    await sync('groups');
  }, 120_000);
  afterAll(async () => {
    await gw?.stop();
    await world?.close();
    await db?.drop();
  });

  it('lists the groups newest first with the owner named, counts, and pages with a cursor', async () => {
    const all = await api(`/groups?corpId=${corpId}`);
    expect(all.status).toBe(200);
    const ours = all.body.items.filter((g: { chatId: string }) => chats.some((c) => c.chatId === g.chatId));
    expect(ours).toHaveLength(3);
    const first = ours.find((g: { chatId: string }) => g.chatId === chats[2]!.chatId);
    expect(first).toEqual({
      id: expect.stringMatching(/^\d+$/),
      corpId,
      corpName: accountName(world.config, corpId),
      chatId: chats[2]!.chatId,
      name: '新品体验群',
      owner: { userid: owner, name: ownerName },
      memberCount: chats[2]!.members.length,
      externalCount: chats[2]!.members.filter((m) => m.type === 2).length,
      status: 'active',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const ids = all.body.items.map((g: { id: string }) => BigInt(g.id));
    expect([...ids].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))).toEqual(ids);

    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await api(
        `/groups?corpId=${corpId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((g) => g.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(all.body.items.map((g: { id: string }) => g.id));
  });

  it('filters by owner and by name prefix (a LIKE wildcard is taken literally)', async () => {
    const byPrefix = (await api(`/groups?q=${encodeURIComponent('售后')}`)).body.items
      .map((g: { name: string }) => g.name)
      .sort();
    expect(byPrefix).toEqual(['售后一群', '售后二群']);
    expect((await api(`/groups?q=${encodeURIComponent('%')}`)).body.items).toEqual([]);
    const owned = (await api(`/groups?corpId=${corpId}&owner=${owner}`)).body.items;
    expect(owned.length).toBeGreaterThanOrEqual(3);
    expect(owned.every((g: { owner: { userid: string } }) => g.owner.userid === owner)).toBe(true);
    expect((await api(`/groups?owner=nobody-owns-these`)).body).toEqual({ items: [], nextCursor: null });
  });

  it('shows one group with its members: staff by name, customers with their ids, who left and when', async () => {
    const listed = (await api(`/groups?q=${encodeURIComponent('售后二群')}`)).body.items[0];
    const one = await api(`/groups/${listed.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ ...listed, members: expect.any(Array) });
    const members = one.body.members as Record<string, unknown>[];
    const leaverId = chats[1]!.members.find((m) => m.type === 2)!.userid;
    const staffRow = members.find((m) => m.type === 'staff' && m.userid === owner)!;
    expect(staffRow).toEqual({
      type: 'staff',
      userid: owner,
      name: ownerName,
      joinedAt: expect.any(String),
      joinScene: expect.any(Number),
    });
    const leaver = members.find((m) => m.externalUserId === leaverId)!;
    expect(leaver.leftAt).toEqual(expect.stringMatching(/^\d{4}-/));
    const current = members.filter((m) => m.type === 'external' && m.leftAt === undefined);
    expect(current.length).toBe(chats[1]!.members.filter((m) => m.type === 2).length - 1);
    for (const m of members.filter((x) => x.type === 'external')) {
      const [identity] = await select<{ customer_id: string }>(
        db.ds,
        "SELECT customer_id FROM identities WHERE type = 'wecom_external_userid' AND scope = ? AND value = ?",
        [corpId, m.externalUserId],
      );
      expect(m).toMatchObject({ customerId: identity!.customer_id, joinScene: 3, name: expect.any(String) });
      expect(m.userid).toBeUndefined();
    }
    expect(one.body.externalCount).toBe(current.length);
  });

  it("lists a customer's groups on the profile: current memberships only, with the group's id and join time", async () => {
    const listed = (await api(`/groups?corpId=${corpId}`)).body.items as { id: string; chatId: string }[];
    const detail = (await api(`/groups/${listed.find((g) => g.chatId === chats[1]!.chatId)!.id}`)).body;
    const members = detail.members as {
      externalUserId?: string;
      customerId?: string;
      joinedAt: string;
      leftAt?: string;
    }[];
    const stayer = members.find((m) => m.customerId && !m.leftAt)!;
    const leaver = members.find((m) => m.customerId && m.leftAt)!;
    const profile = await api(`/customers/${stayer.customerId}`);
    expect(profile.status).toBe(200);
    expect(profile.body.groups).toContainEqual({
      id: detail.id,
      corpId,
      chatId: chats[1]!.chatId,
      name: '售后二群',
      joinedAt: stayer.joinedAt,
    });
    const left = (await api(`/customers/${leaver.customerId}`)).body.groups as { chatId: string }[];
    expect(left.map((g) => g.chatId)).not.toContain(chats[1]!.chatId);
  });

  it('counts joins and leaves per local day, every day of the range (the last 30 by default)', async () => {
    const listed = (await api(`/groups?q=${encodeURIComponent('售后二群')}`)).body.items[0];
    const r = await api(`/groups/${listed.id}/activity`);
    expect(r.status).toBe(200);
    const days = r.body.days as { date: string; joined: number; left: number }[];
    expect(days).toHaveLength(30);
    expect(days[0]!.date).toBe(r.body.from);
    expect(days[29]!.date).toBe(r.body.to);
    const sum = (k: 'joined' | 'left') => days.reduce((n, d) => n + d[k], 0);
    expect([sum('joined'), sum('left')]).toEqual([chats[1]!.members.length, 1]);
    const old = await api(`/groups/${listed.id}/activity?from=2024-01-01&to=2024-01-03`);
    expect(old.body).toEqual({
      from: '2024-01-01',
      to: '2024-01-03',
      days: ['2024-01-01', '2024-01-02', '2024-01-03'].map((date) => ({ date, joined: 0, left: 0 })),
    });
    for (const q of [
      'from=2024-02-30',
      'from=2024-03-02&to=2024-03-01',
      'from=2023-01-01&to=2024-12-31',
      'to=yesterday',
    ]) {
      const bad = await api(`/groups/${listed.id}/activity?${q}`);
      expect([q, bad.status, bad.body.error.code]).toEqual([q, 422, 'VALIDATION_FAILED']);
    }
    expect((await api('/groups/999999999/activity')).status).toBe(404);
  });

  it('answers bad input with 4xx {error:{code,message}}: unknown corp, unknown or malformed id, bad paging, anonymous', async () => {
    expect((await api('/groups', '')).status).toBe(401);
    const corp = await api('/groups?corpId=ww-nope');
    expect([corp.status, corp.body]).toEqual([
      404,
      { error: { code: 'ACCOUNT_NOT_FOUND', message: 'no WeCom account ww-nope is configured' } },
    ]);
    for (const id of ['999999999', 'abc', '1;DROP']) {
      const r = await api(`/groups/${encodeURIComponent(id)}`);
      expect([r.status, r.body.error.code]).toEqual([404, 'NOT_FOUND']);
    }
    const twice = await api(`/groups?owner=a&owner=b`);
    expect([twice.status, twice.body.error.code]).toEqual([422, 'VALIDATION_FAILED']);
    expect((await api(`/groups?q=${'x'.repeat(129)}`)).status).toBe(422);
    expect((await api('/groups?limit=0')).status).toBe(400);
    expect((await api('/groups?cursor=xyz')).status).toBe(400);
  });
  it('drops the group from the profile within seconds of the callback when WeCom removes the member', async () => {
    await world.control(`/apps/${corpId}`, { url: `${gw.url}/wechat/wecom/${corpId}` }, 'PATCH');
    const listed = (await api(`/groups?q=${encodeURIComponent('新品体验群')}`)).body.items[0];
    const members = (await api(`/groups/${listed.id}`)).body.members as {
      externalUserId?: string;
      customerId?: string;
      leftAt?: string;
    }[];
    const member = members.find((m) => m.customerId && !m.leftAt)!;
    const groupsOf = async () =>
      ((await api(`/customers/${member.customerId}`)).body.groups as { chatId: string }[]).map((g) => g.chatId);
    expect(await groupsOf()).toContain(chats[2]!.chatId);
    const removed = await world.control(`/wecom/${corpId}/groups/${chats[2]!.chatId}/members/remove`, {
      members: [member.externalUserId],
      quitScene: 1,
      notify: true,
    });
    // The gateway acked the change_external_chat callback; the profile follows once the inbox row is processed.
    expect(removed.delivery.delivered).toBe(true);
    await waitFor(async () => !(await groupsOf()).includes(chats[2]!.chatId), 10_000);
    const after = (await api(`/groups/${listed.id}`)).body;
    expect(after.externalCount).toBe(listed.externalCount - 1);
    expect(
      after.members.find((m: { externalUserId?: string }) => m.externalUserId === member.externalUserId).leftAt,
    ).toEqual(expect.stringMatching(/^\d{4}-/));
  });
});
