import type { IdentityRef } from '../../connectors/common/identity-types';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { gateway, inboxRows, startWorld, waitFor, type World } from './callbacks-harness';

/**
 * The callbacks journey: a person follows the OA, pays, and is added by a staff member on WeCom. Callbacks
 * carry no unionid (wechat-api.md §9), so until something connects them Siyu holds two customers; once the
 * unionid arrives (OA user/info, WeCom externalcontact/get — what the full syncs read) they become one.
 */
describe('journey: follow the OA, pay, get added on WeCom → one customer', () => {
  let db: TestDatabase;
  let world: World;
  let gw: RunningGateway;

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await startWorld(db.url);
    gw = await gateway(world.config);
  });
  afterAll(async () => {
    await gw?.stop();
    await world?.close();
    await db?.drop();
  });

  const api = async (path: string, key: string) => {
    const res = await fetch(`${gw.url}/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('rejects a forged Pay notification for the journey merchant first: nothing stored', async () => {
    const m = world.apps.merchants[0]!;
    const r = await world.control(`/pay/${m.mchId}/transactions`, {
      openid: 'oNobody',
      amount: 1,
      url: `${gw.url}/wechat/pay/${m.mchId}`,
      tamper: 'serial',
    });
    expect(r.notification.attempts[0].status).toBe(401);
    expect(await inboxRows(db.ds, 'pay:%')).toHaveLength(0);
  });

  it('ends as one customer with the OA follow, the payment and the WeCom relation', async () => {
    const m = world.apps.merchants[0]!;
    const oa = world.apps.officialAccounts.find((a) => a.appId === m.appId)!;
    const corp = world.apps.corps[0]!;
    await world.control(`/apps/${oa.appId}`, { bound: true }, 'PATCH');
    await world.control(`/apps/${corp.corpId}`, { bound: true }, 'PATCH');

    const { users } = await world.control(`/oa/${oa.appId}/users`, {});
    const { personId, openid } = users[0] as { personId: number; openid: string };
    const sub = await world.control(`/callbacks/oa/${oa.appId}/event`, {
      type: 'subscribe',
      openid,
      url: `${gw.url}/wechat/official-account/${oa.appId}`,
    });
    expect(sub.delivery.delivered).toBe(true);
    const paid = await world.control(`/pay/${m.mchId}/transactions`, {
      openid,
      amount: 8800,
      outTradeNo: 'JOURNEY-1',
      url: `${gw.url}/wechat/pay/${m.mchId}`,
    });
    expect(paid.notification.attempts[0].status).toBe(204);
    const staff = await world.control(`/wecom/${corp.corpId}/staff`, { userid: 'journey_staff' });
    const contact = await world.control(`/wecom/${corp.corpId}/contacts`, {
      personId,
      followers: [{ userid: staff.userid }],
    });
    const added = await world.control(`/callbacks/wecom/${corp.corpId}/external-contact`, {
      changeType: 'add_external_contact',
      userId: staff.userid,
      externalUserId: contact.externalUserId,
      url: `${gw.url}/wechat/wecom/${corp.corpId}`,
    });
    expect(added.delivery.delivered).toBe(true);
    await waitFor(async () => (await inboxRows(db.ds, '%')).filter((r) => r.status === 'done').length >= 3);

    const key = (await new ApiKeyService(db.ds).create('journey', 'viewer')).key;
    const byOpenid = await api(`/customers/lookup?type=oa_openid&scope=${oa.appId}&value=${openid}`, key);
    const byExternal = await api(
      `/customers/lookup?type=wecom_external_userid&scope=${corp.corpId}&value=${contact.externalUserId}`,
      key,
    );
    // The callbacks carry no unionid, so each found its own customer; the gateway's own re-read of the WeCom contact
    // (refresh queue) may already have joined them on a slow machine, which the end state below allows for.
    expect(byOpenid.body.rfm.orders).toBe(1);

    // What the OA user/info and WeCom externalcontact/get reads report for this person (bound to the open platform).
    const truth = await world.control(`/truth/persons/${personId}`);
    const unionid = (truth.identities as IdentityRef[]).find((i) => i.type === 'unionid')!;
    expect(unionid).toBeDefined();
    const identity = gw.app.identity;
    await retryingTransaction(db.ds, (em) =>
      identity.resolve(em, {
        identities: [{ type: 'oa_openid', scope: oa.appId, value: openid }, unionid],
        source: 'oa.user_info',
      }),
    );
    await retryingTransaction(db.ds, (em) =>
      identity.resolve(em, {
        identities: [{ type: 'wecom_external_userid', scope: corp.corpId, value: contact.externalUserId }, unionid],
        source: 'wecom.contact',
      }),
    );

    const one = await api(`/customers/lookup?type=oa_openid&scope=${oa.appId}&value=${openid}`, key);
    const same = await api(
      `/customers/lookup?type=wecom_external_userid&scope=${corp.corpId}&value=${contact.externalUserId}`,
      key,
    );
    expect(same.body.id).toBe(one.body.id);
    expect(one.body.identities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'unionid', value: unionid.value }),
        expect.objectContaining({ type: 'oa_openid', value: openid }),
        expect.objectContaining({ type: 'wecom_external_userid', value: contact.externalUserId }),
      ]),
    );
    expect(one.body.unionidMissing).toEqual([]);
    expect(one.body.subscriptions).toEqual([expect.objectContaining({ appId: oa.appId, openid, subscribed: true })]);
    expect(one.body.follows).toEqual([
      expect.objectContaining({ corpId: corp.corpId, staffUserId: staff.userid, deleted: false }),
    ]);
    expect(one.body.rfm).toMatchObject({ orders: 1, totalSpent: 8800 });
    expect(one.body.recentEvents.map((e: { type: string }) => e.type).sort()).toEqual([
      'oa.subscribe',
      'pay.succeeded',
      'wecom.follow_added',
    ]);
    // Exactly one merge joined the two, and the customer that merged away still answers, with the survivor.
    const merges = await select<{ merged_id: string }>(db.ds, 'SELECT merged_id FROM merge_log WHERE survivor_id = ?', [
      one.body.id,
    ]);
    expect(merges).toHaveLength(1);
    expect([byOpenid.body.id, byExternal.body.id]).toEqual(expect.arrayContaining([one.body.id]));
    expect((await api(`/customers/${merges[0]!.merged_id}`, key)).body.id).toBe(one.body.id);
  });
});
