import { ApiKeyService } from '../../src/auth/api-key.service';
import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

/**
 * Losses a full sync finds (DESIGN §10.2): a WeCom relation or an OA follow that ended without a callback reaching
 * the gateway is found gone by the next full sync, and counted `lost` for the channel that first brought the
 * customer, once.
 */
describe('channel losses found by a full sync', () => {
  let db: TestDatabase;
  let world: World;
  let gw: RunningGateway;
  let admin: string;
  let appId: string;
  let corpId: string;
  let staff: string;

  const api = async (path: string, init: { method?: string; json?: unknown } = {}) => {
    const res = await fetch(`${gw.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${admin}`, ...(init.json ? { 'content-type': 'application/json' } : {}) },
      body: init.json ? JSON.stringify(init.json) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const sync = async (accountId: string, resource: string) => {
    const started = await api('/syncs', { method: 'POST', json: { accountId, resource } });
    expect(started.status).toBe(202);
    return waitFor(async () => {
      const r = (await api(`/syncs/${started.body.id}`)).body;
      return r.status === 'done' ? r : r.status === 'failed' ? Promise.reject(new Error(r.error)) : undefined;
    }, 60_000);
  };
  const attributed = (type: string, scope: string, value: string) =>
    waitFor(async () => {
      const r = await api(`/customers/lookup?type=${type}&scope=${scope}&value=${encodeURIComponent(value)}`);
      return r.status === 200 && r.body.channels.length > 0 ? r.body : undefined;
    }, 30_000);
  const lost = async (channelId: string) => {
    const stats = await api(`/channels/${channelId}/stats`);
    expect(stats.status).toBe(200);
    return (stats.body.days as { date: string; lost: number }[]).filter((d) => d.lost > 0);
  };
  const lostRows = async (channelId: string) =>
    Number(
      (
        await select(gw.app.ds, "SELECT COUNT(*) AS n FROM channel_activity WHERE channel_id = ? AND kind = 'lost'", [
          channelId,
        ])
      )[0]!.n,
    );

  /** Every queued re-read done. */
  const refreshesDone = () =>
    waitFor(async () => {
      const [r] = await select(
        gw.app.ds,
        "SELECT COUNT(*) AS n FROM refresh_queue WHERE status IN ('pending', 'processing')",
      );
      return Number(r!.n) === 0 ? true : undefined;
    }, 30_000);

  /**
   * A new contact-way channel and a customer added through it, attributed, with the add's own re-read done (it
   * must not race the silent removal the cases make next).
   */
  const addedThroughNewWay = async (name: string) => {
    const channel = (
      await api('/channels', {
        method: 'POST',
        json: { name, kind: 'wecom-contact-way', accountId: corpId, staffUserIds: [staff] },
      })
    ).body as { id: string; configId: string };
    const add = await world.control<{ externalUserId: string; userid: string }>(
      `/wecom/${corpId}/contact-ways/${channel.configId}/add`,
      { welcomeCode: false },
    );
    await attributed('wecom_external_userid', corpId, add.externalUserId);
    await refreshesDone();
    return { channel, add };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await startWorld(db.url);
    gw = await gateway(world.config);
    admin = (await new ApiKeyService(gw.app.ds).create('sync-losses-admin', 'admin')).key;
    appId = world.apps.officialAccounts[0]!.appId;
    corpId = world.apps.corps[0]!.corpId;
    staff = (
      await world.control<{ staff: { userid: string; contactFeature: boolean; left?: boolean }[] }>(
        `/state/wecom/${corpId}/staff`,
      )
    ).staff.find((s) => s.contactFeature && !s.left)!.userid;
    await world.control(`/apps/${appId}`, { url: `${gw.url}/wechat/official-account/${appId}` }, 'PATCH');
    await world.control(`/apps/${corpId}`, { url: `${gw.url}/wechat/wecom/${corpId}` }, 'PATCH');
  }, 120_000);

  afterAll(async () => {
    await gw?.stop();
    await world?.close();
    await db?.drop();
  });

  it('counts a WeCom relation the contacts sync finds gone as lost for its first channel, once', async () => {
    const { channel, add } = await addedThroughNewWay('门店导购');
    await sync(corpId, 'contacts');
    expect(await lost(channel.id)).toEqual([]);

    // The member removes the customer and the callback never reaches the gateway: the next full sync finds it gone.
    await world.control(`/wecom/${corpId}/relations/delete`, {
      userid: add.userid,
      externalUserId: add.externalUserId,
      by: 'member',
    });
    await sync(corpId, 'contacts');
    expect(await lost(channel.id)).toEqual([expect.objectContaining({ lost: 1 })]);
    await sync(corpId, 'contacts');
    expect(await lostRows(channel.id)).toBe(1);
  });

  it('counts a WeCom relation a re-read finds gone as lost for its first channel, as the sync would', async () => {
    const { channel, add } = await addedThroughNewWay('展会活码');
    await world.control(`/wecom/${corpId}/relations/delete`, {
      userid: add.userid,
      externalUserId: add.externalUserId,
      by: 'member',
    });
    // An edit callback of the customer (another member's relation, say) makes the gateway re-read them.
    const edit = await world.control<{ delivery: { delivered: boolean } }>(
      `/callbacks/wecom/${corpId}/external-contact`,
      {
        changeType: 'edit_external_contact',
        userId: add.userid,
        externalUserId: add.externalUserId,
        url: `${gw.url}/wechat/wecom/${corpId}`,
      },
    );
    expect(edit.delivery.delivered).toBe(true);
    await waitFor(async () => ((await lostRows(channel.id)) === 1 ? true : undefined), 30_000);
    await sync(corpId, 'contacts');
    expect(await lostRows(channel.id)).toBe(1);
  });

  it('counts an OA follow the followers sync finds gone as lost for its first channel, once', async () => {
    const channel = (
      await api('/channels', { method: 'POST', json: { name: '双十一海报', kind: 'oa-qrcode', accountId: appId } })
    ).body as { id: string; scene: string };
    const { qrcodes } = await world.control<{ qrcodes: { ticket: string; sceneStr: string }[] }>(
      `/state/oa/${appId}/qrcodes`,
    );
    const ticket = qrcodes.find((c) => c.sceneStr === channel.scene)!.ticket;
    const scan = await world.control<{ user: { openid: string } }>(
      `/oa/${appId}/qrcodes/${encodeURIComponent(ticket)}/scan`,
      {},
    );
    await attributed('oa_openid', appId, scan.user.openid);
    await sync(appId, 'followers');
    expect(await lost(channel.id)).toEqual([]);

    // Unfollowed without a callback: the next followers sync no longer lists them.
    await world.control(`/oa/${appId}/users/${scan.user.openid}/unsubscribe`, {});
    await sync(appId, 'followers');
    expect(await lost(channel.id)).toEqual([expect.objectContaining({ lost: 1 })]);
    await sync(appId, 'followers');
    expect(await lostRows(channel.id)).toBe(1);
  });
});
