import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

/**
 * Incremental re-reads end to end: WeChat (the emulator) calls the gateway, the inbox processor applies the callback
 * and its hook queues a re-read, the refresh worker reads WeChat's current state and stores it.
 */
describe('callbacks trigger re-reads (refresh queue, real gateway)', () => {
  const db = useTestDatabase();
  let world: World;
  let gw: RunningGateway;

  beforeAll(async () => {
    world = await startWorld(db.url);
    gw = await gateway(world.config);
    const corp = world.apps.corps[0]!;
    await world.control(`/apps/${corp.corpId}`, { url: `${gw.url}/wechat/wecom/${corp.corpId}` }, 'PATCH');
    const oa = world.apps.officialAccounts[0]!;
    await world.control(`/apps/${oa.appId}`, { url: `${gw.url}/wechat/official-account/${oa.appId}` }, 'PATCH');
  });
  afterAll(async () => {
    await gw.stop();
    await world.close();
  });

  it('WeCom add and edit callbacks: the relation is re-read with its remark and corp tags, the customer gets its unionid', async () => {
    const corp = world.apps.corps[0]!;
    const library = (await world.control(`/state/wecom/${corp.corpId}/corp-tags`)) as {
      groups: { tags: { id: string }[] }[];
    };
    const tagId = library.groups[0]!.tags[0]!.id;
    const staff = world.emulator.state.world.corp(corp.corpId)!.staff.find((s) => s.contactFeature)!.userid;
    const added = await world.control(`/wecom/${corp.corpId}/contacts`, {
      personId: 2,
      followers: [{ userid: staff, remark: 'first', tags: [tagId] }],
      notify: true,
    });
    const ext = added.externalUserId as string;
    const row = await waitFor(async () =>
      (
        await select<{ remark: string | null; tags: string | null; customer_id: string }>(
          db.ds,
          'SELECT remark, tags, customer_id FROM wecom_follows WHERE external_userid = ?',
          [ext],
        )
      ).find((r) => r.remark === 'first'),
    );
    expect(JSON.parse(row.tags!)).toEqual([tagId]);
    const types = await select<{ type: string }>(
      db.ds,
      'SELECT type FROM identities WHERE customer_id = ? ORDER BY type',
      [row.customer_id],
    );
    expect(types.map((r) => r.type)).toEqual(['unionid', 'wecom_external_userid']);

    const corpWorld = world.emulator.state.world.corp(corp.corpId)!;
    corpWorld.relationsBySlot[corpWorld.slotOf(ext)]![0]!.remark = 'edited in WeCom';
    const edit = await world.control(`/callbacks/wecom/${corp.corpId}/external-contact`, {
      changeType: 'edit_external_contact',
      userId: staff,
      externalUserId: ext,
      url: `${gw.url}/wechat/wecom/${corp.corpId}`,
    });
    expect(edit.delivery.delivered).toBe(true);
    await waitFor(
      async () =>
        (
          await select(db.ds, "SELECT id FROM wecom_follows WHERE external_userid = ? AND remark = 'edited in WeCom'", [
            ext,
          ])
        ).length === 1,
    );
  });

  it('OA subscribe callback: user/info adds the unionid the callback lacks', async () => {
    const oa = world.apps.officialAccounts[0]!;
    const created = await world.control(`/oa/${oa.appId}/users`, { personId: 3, subscribed: false });
    const openid = created.users[0].openid as string;
    const sub = await world.control(`/oa/${oa.appId}/users/${openid}/subscribe`, {
      scene: 'ADD_SCENE_PROFILE_CARD',
      notify: true,
    });
    expect(sub.delivery.delivered).toBe(true);
    const customer = await waitFor(
      async () =>
        (
          await select<{ customer_id: string }>(
            db.ds,
            "SELECT customer_id FROM oa_subscriptions WHERE openid = ? AND scene = 'ADD_SCENE_PROFILE_CARD'",
            [openid],
          )
        )[0]?.customer_id,
    );
    const types = await select<{ type: string }>(
      db.ds,
      'SELECT type FROM identities WHERE customer_id = ? ORDER BY type',
      [customer],
    );
    expect(types.map((r) => r.type)).toContain('unionid');
    const aud = world.emulator.state.world.oaApp(oa.appId)!;
    const language = await waitFor(
      async () =>
        (
          await select<{ value_text: string; source: string }>(
            db.ds,
            "SELECT value_text, source FROM customer_attributes WHERE customer_id = ? AND attr_key = 'wechat.language'",
            [customer],
          )
        )[0],
    );
    expect(language).toEqual({ value_text: aud.language(aud.slotOf(openid)), source: 'wechat' });
  });
});
