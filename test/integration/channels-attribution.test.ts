import { ApiKeyService } from '../../src/auth/api-key.service';
import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

interface Channel {
  id: string;
  scene?: string;
  configId?: string;
}

/**
 * Attribution (DESIGN §10.2) end to end: a person scans a channel's QR code or adds a member through its contact
 * way in the emulator; the gateway records the touch, the timeline event and the channel's tags, and the outbox
 * pushes those tags to WeChat, read back from the emulator.
 */
describe('channel attribution', () => {
  let db: TestDatabase;
  let world: World;
  let gw: RunningGateway;
  let operator: string;
  let appId: string;
  let corpId: string;
  let staff: string;
  let tagId: string;

  const api = async (path: string, init: { method?: string; json?: unknown } = {}) => {
    const res = await fetch(`${gw.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${operator}`, ...(init.json ? { 'content-type': 'application/json' } : {}) },
      body: init.json ? JSON.stringify(init.json) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const lookup = async (type: string, scope: string, value: string) =>
    waitFor(async () => {
      const r = await api(`/customers/lookup?type=${type}&scope=${scope}&value=${encodeURIComponent(value)}`);
      return r.status === 200 && r.body.channels.length > 0 ? r.body : undefined;
    }, 30_000);
  const ticketOf = async (scene: string) =>
    (
      await world.control<{ qrcodes: { ticket: string; sceneStr: string }[] }>(`/state/oa/${appId}/qrcodes`)
    ).qrcodes.find((c) => c.sceneStr === scene)!.ticket;
  const activity = async (channelId: string) =>
    (
      await select<{ kind: string }>(gw.app.ds, 'SELECT kind FROM channel_activity WHERE channel_id = ? ORDER BY id', [
        channelId,
      ])
    ).map((r) => r.kind);

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await startWorld(db.url);
    gw = await gateway(world.config);
    operator = (await new ApiKeyService(gw.app.ds).create('attribution-operator', 'operator')).key;
    appId = world.apps.officialAccounts[0]!.appId;
    corpId = world.apps.corps[0]!.corpId;
    const people = (
      await world.control<{ staff: { userid: string; contactFeature: boolean; left?: boolean }[] }>(
        `/state/wecom/${corpId}/staff`,
      )
    ).staff;
    staff = people.find((s) => s.contactFeature && !s.left)!.userid;
    // WeChat's callbacks for what people do in the emulator go to this gateway.
    await world.control(`/apps/${appId}`, { url: `${gw.url}/wechat/official-account/${appId}` }, 'PATCH');
    await world.control(`/apps/${corpId}`, { url: `${gw.url}/wechat/wecom/${corpId}` }, 'PATCH');
    const tag = await api('/tags', {
      method: 'POST',
      json: {
        name: '双十一海报',
        bindings: [
          { channel: 'oa', appId },
          { channel: 'wecom', corpId },
        ],
      },
    });
    expect(tag.status).toBe(201);
    tagId = tag.body.id;
  });

  afterAll(async () => {
    await gw?.stop();
    await world?.close();
    await db?.drop();
  });

  it('tags a person who follows through an OA QR code, in Siyu and in WeChat, and counts a later scan', async () => {
    const channel: Channel = (
      await api('/channels', {
        method: 'POST',
        json: { name: '双十一海报', kind: 'oa-qrcode', accountId: appId, tagIds: [tagId] },
      })
    ).body;
    const ticket = await ticketOf(channel.scene!);
    const scan = await world.control<{ user: { openid: string }; followed: boolean }>(
      `/oa/${appId}/qrcodes/${encodeURIComponent(ticket)}/scan`,
      {},
    );
    expect(scan.followed).toBe(true);
    const openid = scan.user.openid;

    const customer = await lookup('oa_openid', appId, openid);
    expect(customer.channels).toEqual([
      { id: channel.id, name: '双十一海报', firstAt: expect.any(String), lastAt: expect.any(String) },
    ]);
    expect(customer.tags).toEqual([expect.objectContaining({ id: tagId, source: 'channel' })]);
    const events = (await api(`/customers/${customer.id}/events`)).body.items as { type: string; payload: any }[];
    expect(events.find((e) => e.type === 'channel.touched')?.payload).toMatchObject({
      channelId: channel.id,
      via: 'subscribe',
      first: true,
    });

    // The outbox pushes the tag to the OA: the emulator's user carries it.
    await waitFor(async () => {
      const user = await world.control<{ tagid_list: number[] }>(`/state/oa/${appId}/users/${openid}`);
      return user.tagid_list.length > 0 ? user : undefined;
    }, 30_000);

    // A follower scanning again is a SCAN: a returning touch, no second tag row.
    const again = await world.control<{ followed: boolean }>(
      `/oa/${appId}/qrcodes/${encodeURIComponent(ticket)}/scan`,
      {
        openid,
      },
    );
    expect(again.followed).toBe(false);
    await waitFor(async () => ((await activity(channel.id)).length === 2 ? true : undefined), 30_000);
    expect(await activity(channel.id)).toEqual(['new', 'returning']);
    const [cc] = await select(gw.app.ds, 'SELECT touches FROM customer_channels WHERE channel_id = ?', [channel.id]);
    expect(Number(cc!.touches)).toBe(2);

    // Unfollowing is a loss of the channel that brought them.
    await world.control(`/oa/${appId}/users/${openid}/unsubscribe`, { notify: true });
    await waitFor(async () => ((await activity(channel.id)).includes('lost') ? true : undefined), 30_000);

    // The channel's stats count all three, and its customers list names the person.
    const stats = await api(`/channels/${channel.id}/stats`);
    expect(stats.status).toBe(200);
    const sum = (k: string) => stats.body.days.reduce((n: number, d: Record<string, number>) => n + d[k]!, 0);
    expect([sum('new'), sum('returning'), sum('lost'), sum('net')]).toEqual([1, 1, 1, 0]);
    expect(stats.body.retention).toEqual({ d1: null, d7: null, d30: null });
    const brought = await api(`/channels/${channel.id}/customers`);
    expect(brought.body.items).toEqual([expect.objectContaining({ customerId: customer.id, touches: 2 })]);
    expect((await api(`/channels/${channel.id}/stats?from=2026-02-30`)).status).toBe(422);
    expect((await api('/channels/999999/stats')).status).toBe(404);
  });

  it('tags a person who adds a member through a WeCom contact way, in Siyu and in WeCom', async () => {
    const channel: Channel = (
      await api('/channels', {
        method: 'POST',
        json: {
          name: '门店导购',
          kind: 'wecom-contact-way',
          accountId: corpId,
          staffUserIds: [staff],
          tagIds: [tagId],
        },
      })
    ).body;
    const add = await world.control<{ externalUserId: string; userid: string; state: string }>(
      `/wecom/${corpId}/contact-ways/${channel.configId}/add`,
      { welcomeCode: false },
    );
    expect(add.userid).toBe(staff);
    const customer = await lookup('wecom_external_userid', corpId, add.externalUserId);
    expect(customer.channels.map((c: { id: string }) => c.id)).toEqual([channel.id]);
    expect(customer.tags).toEqual([expect.objectContaining({ id: tagId, source: 'channel' })]);
    await waitFor(async () => {
      const rel = await world.control<{ relations: { tags: { name: string }[] }[] }>(
        `/state/wecom/${corpId}/relations?userid=${staff}&external_userid=${add.externalUserId}`,
      );
      return rel.relations[0]?.tags.some((t) => t.name === '双十一海报') ? true : undefined;
    }, 30_000);
    const [touched] = await select(
      gw.app.ds,
      "SELECT COUNT(*) AS n FROM events WHERE customer_id = ? AND type = 'channel.touched'",
      [customer.id],
    );
    expect(Number(touched!.n)).toBe(1);
  });

  it('attributes nothing to a deleted channel or an unknown state', async () => {
    const channel: Channel = (
      await api('/channels', {
        method: 'POST',
        json: { name: '已停用', kind: 'oa-qrcode', accountId: appId, tagIds: [tagId] },
      })
    ).body;
    const ticket = await ticketOf(channel.scene!);
    expect((await api(`/channels/${channel.id}`, { method: 'DELETE' })).status).toBe(204);
    const scan = await world.control<{ user: { openid: string } }>(
      `/oa/${appId}/qrcodes/${encodeURIComponent(ticket)}/scan`,
      {},
    );
    const customer = await waitFor(async () => {
      const r = await api(`/customers/lookup?type=oa_openid&scope=${appId}&value=${scan.user.openid}`);
      return r.status === 200 ? r.body : undefined;
    }, 30_000);
    expect(customer.channels).toEqual([]);
    expect(customer.tags).toEqual([]);
  });
});
