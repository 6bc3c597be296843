import { ApiKeyService } from '../../src/auth/api-key.service';
import { AuditLogWriter } from '../../src/audit/audit-log.writer';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import type { RunningGateway } from '../../src/server';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface StaffItem {
  corpId: string;
  userid: string;
  name: string | null;
  departments: { id: number; name: string | null }[];
  status: string;
  customerCount: number;
}

/**
 * Names instead of ids (DESIGN §10.3): the staff directory filled by the staff sync and by change_contact
 * callbacks through the inbox, `GET /api/v1/staff`, staff names on follows, audit actors, the best-known customer
 * name in lists and merges, account names beside account ids.
 */
describe('staff directory and names in the API', () => {
  let db: TestDatabase;
  let world: World;
  let gw: RunningGateway;
  let admin: string;
  let viewer: string;
  let corpId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await startWorld(db.url);
    gw = await gateway(world.config);
    const keys = new ApiKeyService(gw.app.ds);
    admin = (await keys.create('staff-admin', 'admin')).key;
    viewer = (await keys.create('staff-viewer', 'viewer')).key;
    corpId = world.apps.corps[0]!.corpId;
  });
  afterAll(async () => {
    await gw?.stop();
    await world?.close();
    await db?.drop();
  });

  const api = async (path: string, key = admin, init: { method?: string; json?: unknown } = {}) => {
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
  const sync = async (accountId: string, resource: string) => {
    const started = await api('/syncs', admin, { method: 'POST', json: { accountId, resource } });
    expect(started.status).toBe(202);
    return waitFor(async () => {
      const r = (await api(`/syncs/${started.body.id}`)).body;
      return r.status === 'done' ? r : r.status === 'failed' ? Promise.reject(new Error(r.error)) : undefined;
    }, 20_000);
  };
  const staff = async (): Promise<StaffItem[]> => (await api(`/staff?corpId=${corpId}`, viewer)).body.items;
  const member = async (userid: string) => (await staff()).find((s) => s.userid === userid);
  const contactCallback = (body: Record<string, unknown>) =>
    world.control(`/callbacks/wecom/${corpId}/contact`, { ...body, url: `${gw.url}/wechat/wecom/${corpId}` });

  it('refuses anonymous callers (401), an unknown corp (404) and a repeated corpId (400)', async () => {
    expect((await api(`/staff?corpId=${corpId}`, '')).status).toBe(401);
    const unknown = await api('/staff?corpId=ww-nope', viewer);
    expect([unknown.status, unknown.body]).toEqual([
      404,
      { error: { code: 'ACCOUNT_NOT_FOUND', message: 'no WeCom account ww-nope is configured' } },
    ]);
    const twice = await api(`/staff?corpId=${corpId}&corpId=${corpId}`, viewer);
    expect([twice.status, twice.body.error.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('fills the directory from the staff sync: names, named departments, live customer counts', async () => {
    const run = await sync(corpId, 'staff');
    expect(run).toMatchObject({ accountId: corpId, accountName: '示例品牌有限公司', resource: 'staff' });
    await sync(corpId, 'contacts');
    const corp = world.emulator.state.world.corp(corpId)!;
    const items = await staff();
    expect(items.map((s) => s.userid).sort()).toEqual(corp.members.map((s) => s.userid).sort());
    for (const s of corp.members) {
      expect(items.find((i) => i.userid === s.userid)).toEqual({
        corpId,
        userid: s.userid,
        name: s.name,
        departments: s.departments.map((id) => ({ id, name: corp.department(id)!.name })),
        position: s.position,
        status: 'active',
        customerCount: s.relations.filter((r) => !r.customerDeleted).length,
        updatedAt: expect.any(String),
      });
    }
    expect(items.some((i) => i.customerCount > 0)).toBe(true);
  });

  it('applies change_contact callbacks through the inbox and re-reads the member: create, a minimal update with a new userid, delete', async () => {
    await world.control(`/wecom/${corpId}/staff`, {
      userid: 'zhaomin',
      name: '赵敏',
      departments: [2],
      position: '销售顾问',
    });
    // A callback URL set up after 2022-08-15: UserID and Department only; the gateway reads the rest (user/get).
    const created = await contactCallback({
      changeType: 'create_user',
      userId: 'zhaomin',
      departments: [2],
      minimal: true,
    });
    expect(created.delivery.delivered).toBe(true);
    expect(await waitFor(async () => ((await member('zhaomin'))?.name ? member('zhaomin') : undefined))).toMatchObject({
      name: '赵敏',
      departments: [{ id: 2, name: '销售部' }],
      status: 'active',
      customerCount: 0,
    });

    await world.control(`/wecom/${corpId}/staff/zhaomin`, { newUserid: 'zhaomin2', departments: [2, 3] }, 'PATCH');
    await contactCallback({
      changeType: 'update_user',
      userId: 'zhaomin',
      newUserId: 'zhaomin2',
      departments: [2, 3],
      minimal: true,
    });
    const renamed = await waitFor(async () =>
      (await member('zhaomin2'))?.departments.every((d) => d.name) ? member('zhaomin2') : undefined,
    );
    expect(renamed).toMatchObject({
      name: '赵敏',
      departments: [
        { id: 2, name: '销售部' },
        { id: 3, name: '客户成功部' },
      ],
      status: 'active',
    });
    expect(await member('zhaomin')).toBeUndefined();

    await world.control(`/wecom/${corpId}/staff/zhaomin2/leave`, {});
    await contactCallback({ changeType: 'delete_user', userId: 'zhaomin2' });
    expect(
      await waitFor(async () => ((await member('zhaomin2'))?.status === 'left' ? member('zhaomin2') : undefined)),
    ).toMatchObject({ name: '赵敏', status: 'left' });
  });

  it('names the staff member on every follow of a profile, and the account beside each id', async () => {
    const corp = world.emulator.state.world.corp(corpId)!;
    const rel = corp.members.flatMap((s) => s.relations)[0]!;
    const profile = (
      await api(
        `/customers/lookup?type=wecom_external_userid&scope=${corpId}&value=${corp.externalUserid(rel.slot)}`,
        viewer,
      )
    ).body;
    const follow = profile.follows.find((f: { staffUserId: string }) => f.staffUserId === rel.staff.userid);
    expect(follow).toMatchObject({ corpId, corpName: '示例品牌有限公司', staffName: rel.staff.name });
    expect(profile.identities.find((i: { type: string }) => i.type === 'wecom_external_userid')).toMatchObject({
      scope: corpId,
      scopeName: '示例品牌有限公司',
    });
    expect(profile).toMatchObject({ name: expect.any(String), nameSource: 'displayName' });
  });

  it('titles OA followers without a name by their channel, never by a UUID, in the list and the profile', async () => {
    const oa = world.apps.officialAccounts[0]!;
    await sync(oa.appId, 'followers');
    const list = (await api('/customers?limit=100', viewer)).body.items as {
      id: string;
      name: string;
      nameSource: string;
      displayName: string | null;
    }[];
    expect(list.length).toBeGreaterThan(20);
    for (const c of list) expect(c.name).not.toMatch(UUID);
    const fan = list.find((c) => c.nameSource === 'channel' && c.name.startsWith('公众号粉丝'))!;
    expect(fan.name).toMatch(/^公众号粉丝 ….{4}$/);
    const profile = (await api(`/customers/${fan.id}`, viewer)).body;
    expect({ name: profile.name, nameSource: profile.nameSource }).toEqual({ name: fan.name, nameSource: 'channel' });
    expect(profile.subscriptions[0]).toMatchObject({ appId: oa.appId, accountName: '品牌服务号' });
  });

  it('shows both customers’ names on a merge, and a sales rep’s name on their audit entries', async () => {
    const oa = world.apps.officialAccounts[0]!;
    const identity = gw.app.identity;
    const fan = { type: 'oa_openid' as const, scope: oa.appId, value: 'o-merge-names-000000001' };
    const contact = { type: 'wecom_external_userid' as const, scope: corpId, value: 'wm-merge-names-0000000001' };
    await retryingTransaction(gw.app.ds, (em) => identity.resolve(em, { identities: [fan], source: 'test' }));
    await retryingTransaction(gw.app.ds, (em) =>
      identity.resolve(em, { identities: [contact], source: 'test', profile: { displayName: '周芷若' } }),
    );
    await retryingTransaction(gw.app.ds, (em) => identity.resolve(em, { identities: [fan, contact], source: 'test' }));
    const [merge] = (await api('/merges?limit=1', viewer)).body.items;
    expect({ survivorName: merge.survivorName, mergedName: merge.mergedName }).toEqual({
      survivorName: '周芷若',
      mergedName: '公众号粉丝 …0001',
    });

    const rep = world.emulator.state.world.corp(corpId)!.members[0]!;
    await new AuditLogWriter(gw.app.ds).write({
      actor: `wecom:${rep.userid}`,
      role: 'staff',
      action: 'customer.tags.add',
      targetType: 'customer',
      targetId: merge.survivorId,
    });
    await new AuditLogWriter(gw.app.ds).write({ actor: 'staff-admin', role: 'admin', action: 'sync.start' });
    const audit = (await api('/audit?limit=2')).body.items as { actor: string; actorName: string | null }[];
    expect(audit.map((a) => [a.actor, a.actorName])).toEqual([
      ['staff-admin', null],
      [`wecom:${rep.userid}`, rep.name],
    ]);
  });
});
