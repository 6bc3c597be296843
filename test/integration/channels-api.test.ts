import { ApiKeyService } from '../../src/auth/api-key.service';
import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { gateway, startWorld, type World } from './callbacks-harness';

/** `/api/v1/channels` (DESIGN §10.2, §13) through the real gateway against the emulator's QR codes and contact ways. */
describe('channel codes in the API', () => {
  let db: TestDatabase;
  let world: World;
  let gw: RunningGateway;
  let operator: string;
  let viewer: string;
  let appId: string;
  let corpId: string;
  let staff: string[];
  let tagId: string;

  const api = async (path: string, key = operator, init: { method?: string; json?: unknown } = {}) => {
    const res = await fetch(`${gw.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(init.json ? { 'content-type': 'application/json' } : {}),
      },
      body: init.json ? JSON.stringify(init.json) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const channelRows = async () => Number((await select(gw.app.ds, 'SELECT COUNT(*) AS n FROM channels'))[0]!.n);
  const ways = async () =>
    (
      await world.control<{
        contactWays: { config_id: string; state: string; user: string[]; skip_verify: boolean }[];
      }>(`/state/wecom/${corpId}/contact-ways`)
    ).contactWays;

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await startWorld(db.url);
    gw = await gateway(world.config);
    const keys = new ApiKeyService(gw.app.ds);
    operator = (await keys.create('channels-operator', 'operator')).key;
    viewer = (await keys.create('channels-viewer', 'viewer')).key;
    appId = world.apps.officialAccounts[0]!.appId;
    corpId = world.apps.corps[0]!.corpId;
    const people = (
      await world.control<{ staff: { userid: string; contactFeature: boolean; left?: boolean }[] }>(
        `/state/wecom/${corpId}/staff`,
      )
    ).staff;
    staff = people.filter((s) => s.contactFeature && !s.left).map((s) => s.userid);
    tagId = (await api('/tags', operator, { method: 'POST', json: { name: '海报渠道' } })).body.id;
  });

  afterAll(async () => {
    await gw?.stop();
    await world?.close();
    await db?.drop();
  });

  it('refuses a caller without a key and a viewer creating one', async () => {
    expect((await api('/channels', '')).status).toBe(401);
    const r = await api('/channels', viewer, {
      method: 'POST',
      json: { name: 'x', kind: 'oa-qrcode', accountId: appId },
    });
    expect(r.status).toBe(403);
  });

  it('refuses bad input with 422 or 404 and stores nothing', async () => {
    const cases: [unknown, number, string][] = [
      [{ name: '', kind: 'oa-qrcode', accountId: appId }, 422, 'VALIDATION_FAILED'],
      [{ name: 'a', kind: 'poster', accountId: appId }, 422, 'VALIDATION_FAILED'],
      [{ name: 'a', kind: 'oa-qrcode', accountId: 'wx-nobody' }, 404, 'ACCOUNT_NOT_FOUND'],
      [{ name: 'a', kind: 'oa-qrcode', accountId: corpId }, 422, 'VALIDATION_FAILED'],
      [{ name: 'a', kind: 'oa-qrcode', accountId: appId, staffUserIds: ['x'] }, 422, 'VALIDATION_FAILED'],
      [{ name: 'a', kind: 'oa-qrcode', accountId: appId, tagIds: ['999999'] }, 422, 'VALIDATION_FAILED'],
      [
        { name: 'a', kind: 'oa-qrcode', accountId: appId, permanent: true, expireSeconds: 600 },
        422,
        'VALIDATION_FAILED',
      ],
      [{ name: 'a', kind: 'wecom-contact-way', accountId: corpId }, 422, 'VALIDATION_FAILED'],
      [
        { name: 'a', kind: 'wecom-contact-way', accountId: corpId, staffUserIds: staff, extra: 1 },
        422,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [json, status, code] of cases) {
      const r = await api('/channels', operator, { method: 'POST', json });
      expect([JSON.stringify(json), r.status, r.body.error.code]).toEqual([JSON.stringify(json), status, code]);
    }
    expect(await channelRows()).toBe(0);
  });

  it('answers a WeChat refusal with a 4xx naming it and leaves no channel behind', async () => {
    const r = await api('/channels', operator, {
      method: 'POST',
      json: { name: '不存在的人', kind: 'wecom-contact-way', accountId: corpId, staffUserIds: ['nobody-here'] },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('WECHAT_REFUSED');
    expect(r.body.error.message).toMatch(/errcode/);
    expect(await channelRows()).toBe(0);
    expect(await ways()).toEqual([]);
  });

  it('creates an OA QR code whose image the emulator serves as a PNG', async () => {
    const r = await api('/channels', operator, {
      method: 'POST',
      json: { name: '门店海报', kind: 'oa-qrcode', accountId: appId, permanent: true, tagIds: [tagId] },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: '门店海报', kind: 'oa-qrcode', accountId: appId, tagIds: [tagId] });
    expect(r.body.scene).toMatch(/^ch_/);
    expect(r.body.state).toBeUndefined();
    expect(r.body.expiresAt).toBeNull();
    const codes = (
      await world.control<{ qrcodes: { ticket: string; sceneStr: string; actionName: string }[] }>(
        `/state/oa/${appId}/qrcodes`,
      )
    ).qrcodes;
    expect(codes).toEqual([expect.objectContaining({ sceneStr: r.body.scene, actionName: 'QR_LIMIT_STR_SCENE' })]);
    expect(r.body.qrUrl).toBe(
      `${world.emulator.url}/mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(codes[0]!.ticket)}`,
    );
    const img = await fetch(r.body.qrUrl);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect((await img.arrayBuffer()).byteLength).toBeGreaterThan(100);
    // The same image from the gateway, for the console's download.
    const mine = await fetch(`${gw.url}/api/v1/channels/${r.body.id}/qrcode`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(mine.headers.get('content-type')).toBe('image/png');
    expect(mine.headers.get('content-disposition')).toBe(`attachment; filename="channel-${r.body.id}.png"`);
    expect(
      Buffer.from(await mine.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

    const temp = await api('/channels', operator, {
      method: 'POST',
      json: { name: '限时活动', kind: 'oa-qrcode', accountId: appId, expireSeconds: 3600 },
    });
    expect(temp.status).toBe(201);
    expect(temp.body.permanent).toBe(false);
    expect(Date.parse(temp.body.expiresAt) - Date.parse(temp.body.createdAt)).toBeCloseTo(3_600_000, -4);
  });

  it('creates, changes and deletes a WeCom contact way in WeChat', async () => {
    const created = await api('/channels', operator, {
      method: 'POST',
      json: {
        name: '导购活码',
        kind: 'wecom-contact-way',
        accountId: corpId,
        staffUserIds: staff.slice(0, 2),
        skipVerify: false,
        welcome: { text: '欢迎光临' },
      },
    });
    expect(created.status).toBe(201);
    const c = created.body;
    expect(c).toMatchObject({
      kind: 'wecom-contact-way',
      staffUserIds: staff.slice(0, 2),
      welcome: { text: '欢迎光临' },
    });
    expect(c.state).toMatch(/^ch_/);
    expect([...c.state].length).toBeLessThanOrEqual(30);
    expect(c.qrUrl.startsWith(`${world.emulator.url}/wework.qpic.cn/wwpic/`)).toBe(true);
    // The contact way's QR image, served by the emulator as WeChat's image host, through the gateway for download.
    const img = await fetch(`${gw.url}/api/v1/channels/${c.id}/qrcode`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('content-disposition')).toBe(`attachment; filename="channel-${c.id}.png"`);
    expect(
      Buffer.from(await img.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(await ways()).toEqual([
      expect.objectContaining({ config_id: c.configId, state: c.state, user: staff.slice(0, 2), skip_verify: false }),
    ]);

    const patched = await api(`/channels/${c.id}`, operator, {
      method: 'PATCH',
      json: { name: '导购活码二', staffUserIds: [staff[0]], skipVerify: true, tagIds: [tagId], welcome: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: '导购活码二', tagIds: [tagId], welcome: null, skipVerify: true });
    expect(await ways()).toEqual([expect.objectContaining({ user: [staff[0]], skip_verify: true })]);
    expect((await api(`/channels/${c.id}`, viewer)).body.name).toBe('导购活码二');

    const badPatch = await api(`/channels/${c.id}`, operator, { method: 'PATCH', json: { kind: 'oa-qrcode' } });
    expect(badPatch.status).toBe(422);

    const list = await api(`/channels?accountId=${corpId}`, viewer);
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([c.id]);

    expect((await api(`/channels/${c.id}`, operator, { method: 'DELETE' })).status).toBe(204);
    expect(await ways()).toEqual([]);
    expect((await api(`/channels/${c.id}`, viewer)).status).toBe(404);
    expect((await api(`/channels/${c.id}`, operator, { method: 'DELETE' })).status).toBe(404);
    expect((await api('/channels/abc', viewer)).status).toBe(404);

    const audit = await select(
      gw.app.ds,
      "SELECT action FROM audit_log WHERE target_type = 'channel' AND target_id = ?",
      [c.id],
    );
    expect(audit.map((a) => a.action).sort()).toEqual(['channel.create', 'channel.delete', 'channel.update']);
  });

  it('lists channels newest first with a cursor', async () => {
    const first = await api('/channels?limit=1', viewer);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).not.toBeNull();
    const next = await api(`/channels?limit=5&cursor=${first.body.nextCursor}`, viewer);
    expect(next.body.items.length).toBeGreaterThanOrEqual(1);
    expect(Number(next.body.items[0].id)).toBeLessThan(Number(first.body.items[0].id));
  });
});
