import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { prepareRequest, withQuery } from '../../emulator/callbacks/envelope';
import { buildOaMessage } from '../../emulator/callbacks/oa-message.builder';
import { buildExternalContactEvent } from '../../emulator/callbacks/wecom-event.builder';
import { buildMpMessage } from '../../emulator/callbacks/mp-message.builder';
import type { CallbackTarget } from '../../emulator/plugin-types';
import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { gateway, inboxRows, lossyProxy, startWorld, waitFor, type World } from './callbacks-harness';

/** End to end: the emulator's callback sender and Pay notifier → the real gateway → inbox → processor. */
describe('callbacks end to end (emulator → gateway → inbox → processor)', () => {
  let db: TestDatabase;
  let world: World;
  let gw: RunningGateway;
  const now = () => Math.floor(Date.now() / 1000);

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

  const oaApp = (mode: string) => world.apps.officialAccounts.find((a) => a.callbackMode === mode)!;
  const oaUrl = (appId: string) => `${gw.url}/wechat/official-account/${appId}`;
  const customerOf = async (type: string, scope: string, value: string) =>
    (
      await select<{ customer_id: string }>(
        db.ds,
        'SELECT customer_id FROM identities WHERE type = ? AND scope = ? AND value = ?',
        [type, scope, value],
      )
    )[0]?.customer_id;
  const forged = (target: CallbackTarget, message: Parameters<typeof prepareRequest>[2]) => {
    const p = prepareRequest({ ...target, token: 'not-the-token' }, target.url!, message, {
      mode: target.mode,
      format: target.format,
      timestamp: String(now()),
      nonce: '1',
    });
    return fetch(withQuery(p.url, p.query), {
      method: 'POST',
      headers: { 'content-type': p.contentType },
      body: p.body,
    });
  };

  describe('Official Account', () => {
    it('rejects a callback signed with the wrong token: 401, nothing stored', async () => {
      const app = oaApp('safe');
      const target: CallbackTarget = {
        kind: 'official-account',
        id: app.appId,
        token: 'x',
        encodingAESKey: (
          world.config.accounts.find((a) => 'appId' in a && a.appId === app.appId) as { encodingAESKey: string }
        ).encodingAESKey,
        mode: 'safe',
        format: 'xml',
        url: oaUrl(app.appId),
      };
      const res = await forged(
        target,
        buildOaMessage(
          { toUserName: app.originalId, openid: 'oForged', createTime: now() },
          { type: 'text', content: 'x' },
          777n,
        ),
      );
      expect(res.status).toBe(401);
      expect(await inboxRows(db.ds, `oa:${app.appId}:%`)).toHaveLength(0);
    });

    it.each(['safe', 'compatible', 'plaintext'])(
      'takes a %s-mode message and a follow, acks success, processes them',
      async (mode) => {
        const app = oaApp(mode);
        const openid = `oMode_${mode}`;
        const msg = await world.control(`/callbacks/oa/${app.appId}/message`, {
          type: 'text',
          openid,
          content: `hi ${mode}`,
          url: oaUrl(app.appId),
        });
        expect(msg.delivery).toMatchObject({ mode, delivered: true });
        expect(msg.delivery.attempts).toHaveLength(1);
        expect(msg.delivery.attempts[0]).toMatchObject({
          status: 200,
          body: 'success',
          reply: { kind: 'ack', ok: true },
        });
        const sub = await world.control(`/callbacks/oa/${app.appId}/event`, {
          type: 'subscribe',
          openid,
          eventKey: 'spring',
          url: oaUrl(app.appId),
        });
        expect(sub.delivery.delivered).toBe(true);
        await waitFor(
          async () => (await inboxRows(db.ds, `oa:${app.appId}:%`)).filter((r) => r.status === 'done').length === 2,
        );
        const customer = await customerOf('oa_openid', app.appId, openid);
        expect(customer).toBeDefined();
        const events = await select<{ type: string }>(
          db.ds,
          'SELECT type FROM events WHERE customer_id = ? ORDER BY id',
          [customer],
        );
        expect(events.map((e) => e.type).sort()).toEqual(['oa.message.text', 'oa.subscribe']);
        const [s] = await select<{ qr_scene_str: string; subscribed: unknown }>(
          db.ds,
          'SELECT qr_scene_str, subscribed FROM oa_subscriptions WHERE openid = ?',
          [openid],
        );
        expect(s).toMatchObject({ qr_scene_str: 'spring' });
        expect(Number(s!.subscribed)).toBe(1);
      },
    );

    it('stores a callback once when WeChat retries it after a lost ack, and when it is delivered again', async () => {
      const app = oaApp('safe');
      const proxy = await lossyProxy(() => gw.url);
      try {
        const r = await world.control(`/callbacks/oa/${app.appId}/message`, {
          type: 'text',
          openid: 'oRetry',
          msgId: '9001',
          url: `${proxy.url}/wechat/official-account/${app.appId}`,
        });
        expect(r.delivery.attempts.map((a: { status: number }) => a.status)).toEqual([500, 200]);
        const d = await world.control(`/callbacks/oa/${app.appId}/message`, {
          type: 'text',
          openid: 'oRetry',
          msgId: '9002',
          duplicates: 2,
          url: oaUrl(app.appId),
        });
        expect(d.delivery.attempts).toHaveLength(3);
        expect(d.delivery.attempts.every((a: { status: number }) => a.status === 200)).toBe(true);
      } finally {
        await proxy.close();
      }
      expect(await inboxRows(db.ds, `oa:${app.appId}:msg:9001`)).toHaveLength(1);
      expect(await inboxRows(db.ds, `oa:${app.appId}:msg:9002`)).toHaveLength(1);
      await waitFor(
        async () =>
          (await select(db.ds, 'SELECT id FROM events WHERE dedupe_key LIKE ?', [`oa:${app.appId}:msg:900%`]))
            .length === 2,
      );
    });
  });

  describe('WeCom', () => {
    it('rejects a forged callback: 401, nothing stored', async () => {
      const corp = world.apps.corps[0]!;
      const account = world.config.accounts.find((a) => 'corpId' in a && a.corpId === corp.corpId) as {
        encodingAESKey: string;
      };
      const target: CallbackTarget = {
        kind: 'wecom',
        id: corp.corpId,
        token: 'x',
        encodingAESKey: account.encodingAESKey,
        mode: 'safe',
        format: 'xml',
        url: `${gw.url}/wechat/wecom/${corp.corpId}`,
      };
      const res = await forged(
        target,
        buildExternalContactEvent(
          { corpId: corp.corpId, createTime: now() },
          { changeType: 'add_external_contact', userId: 'zhang', externalUserId: 'wmForged' },
        ),
      );
      expect(res.status).toBe(401);
      expect(await inboxRows(db.ds, `wecom:${corp.corpId}:%`)).toHaveLength(0);
    });

    it('follows a relation from add to delete', async () => {
      const corp = world.apps.corps[0]!;
      const url = `${gw.url}/wechat/wecom/${corp.corpId}`;
      const ext = 'wmE2EfollowAAAAAAAAAAAAAAAAAA';
      const add = await world.control(`/callbacks/wecom/${corp.corpId}/external-contact`, {
        changeType: 'add_external_contact',
        userId: 'zhangsan',
        externalUserId: ext,
        state: 'qr1',
        url,
      });
      expect(add.delivery.delivered).toBe(true);
      await waitFor(
        async () => (await select(db.ds, 'SELECT id FROM wecom_follows WHERE external_userid = ?', [ext])).length === 1,
      );
      const del = await world.control(`/callbacks/wecom/${corp.corpId}/external-contact`, {
        changeType: 'del_follow_user',
        userId: 'zhangsan',
        externalUserId: ext,
        createTime: now() + 1,
        url,
      });
      expect(del.delivery.delivered).toBe(true);
      const row = await waitFor(async () =>
        (
          await select<{ deleted: unknown; customer_id: string; state: string }>(
            db.ds,
            'SELECT deleted, customer_id, state FROM wecom_follows WHERE external_userid = ?',
            [ext],
          )
        ).find((r) => Number(r.deleted) === 1),
      );
      expect(row).toMatchObject({
        state: 'qr1',
        customer_id: await customerOf('wecom_external_userid', corp.corpId, ext),
      });
    });

    it('re-reads a customer group on its callbacks: members who joined, who left and how, then the dismiss', async () => {
      const corp = world.apps.corps[0]!;
      await world.control(`/apps/${corp.corpId}`, { url: `${gw.url}/wechat/wecom/${corp.corpId}` }, 'PATCH');
      const owner = (
        await world.control<{ staff: { userid: string; contactFeature: boolean }[] }>(
          `/state/wecom/${corp.corpId}/staff`,
        )
      ).staff.find((s) => s.contactFeature)!.userid;
      const g = await world.control(`/wecom/${corp.corpId}/groups`, {
        owner,
        name: '端到端群',
        members: [{ stranger: 1 }],
        notify: true,
      });
      const add = await world.control(`/wecom/${corp.corpId}/groups/${g.chatId}/members`, {
        members: [{ stranger: 1 }, { stranger: 2 }],
        joinScene: 3,
        notify: true,
      });
      const leaver = g.members[1].userid as string;
      const del = await world.control(`/wecom/${corp.corpId}/groups/${g.chatId}/members/remove`, {
        members: [leaver],
        quitScene: 1,
        notify: true,
      });
      for (const r of [g, add, del]) expect(r.delivery.delivered).toBe(true);
      const left = await waitFor(async () => {
        const rows = await select<{ userid: string; left_at: unknown; quit_scene: unknown }>(
          db.ds,
          'SELECT userid, left_at, quit_scene FROM wecom_group_members WHERE chat_id = ?',
          [g.chatId],
        );
        return rows.length === 4 && rows.some((r) => r.userid === leaver && r.left_at !== null) ? rows : undefined;
      }, 15_000);
      expect(Number(left.find((r) => r.userid === leaver)!.quit_scene)).toBe(1);
      for (const m of add.added) expect(await customerOf('wecom_external_userid', corp.corpId, m.userid)).toBeDefined();
      const gone = await world.control(`/wecom/${corp.corpId}/groups/${g.chatId}/dismiss`, { notify: true });
      expect(gone.delivery.delivered).toBe(true);
      await waitFor(
        async () =>
          (await select<{ status: string }>(db.ds, 'SELECT status FROM wecom_groups WHERE chat_id = ?', [g.chatId]))[0]
            ?.status === 'dismissed',
      );
      const rows = await waitFor(async () => {
        const r = await inboxRows(db.ds, `wecom:${corp.corpId}:chat:%`);
        return r.length === 4 && r.every((x) => x.status === 'done') ? r : undefined;
      });
      expect(rows.map((r) => r.kind)).toEqual([
        'wecom.change_external_chat.create',
        'wecom.change_external_chat.update',
        'wecom.change_external_chat.update',
        'wecom.change_external_chat.dismiss',
      ]);
      // The timeline (DESIGN §10.1): each external member's join once, however the re-reads coalesced, and the
      // leave once, from the callback that says how (a re-read after it finds the leave recorded), on the customer
      // even when the callback came before any read of the group.
      const events = await select<{ type: string; customer_id: string | null; payload: unknown }>(
        db.ds,
        "SELECT type, customer_id, payload FROM events WHERE type LIKE 'wecom.group.%'",
      );
      const payloads = events
        .map((e) => ({
          type: e.type,
          customerId: e.customer_id,
          ...(typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload),
        }))
        .filter((e) => e.chatId === g.chatId);
      for (const m of add.added)
        expect(payloads.filter((e) => e.type === 'wecom.group.joined' && e.externalUserId === m.userid)).toEqual([
          expect.objectContaining({
            customerId: await customerOf('wecom_external_userid', corp.corpId, m.userid),
            joinScene: 3,
          }),
        ]);
      expect(
        payloads.filter((e) => e.type === 'wecom.group.joined' && e.externalUserId === leaver).length,
      ).toBeLessThanOrEqual(1);
      expect(payloads.filter((e) => e.type === 'wecom.group.left')).toEqual([
        expect.objectContaining({
          externalUserId: leaver,
          quitScene: 1,
          customerId: await customerOf('wecom_external_userid', corp.corpId, leaver),
        }),
      ]);
    });
  });

  describe('Mini Program', () => {
    it('rejects a forged callback: 401, nothing stored', async () => {
      const mp = world.apps.miniPrograms[0]!;
      const account = world.config.accounts.find((a) => 'appId' in a && a.appId === mp.appId) as {
        encodingAESKey?: string;
      };
      const target: CallbackTarget = {
        kind: 'mini-program',
        id: mp.appId,
        token: 'x',
        encodingAESKey: account.encodingAESKey,
        mode: mp.callbackMode as CallbackTarget['mode'],
        format: mp.format as 'xml' | 'json',
        url: `${gw.url}/wechat/mini-program/${mp.appId}`,
      };
      const res = await forged(
        target,
        buildMpMessage(
          { toUserName: 'gh_mp', openid: 'oMpForged', createTime: now() },
          { type: 'text', content: 'x' },
          5n,
        ),
      );
      expect(res.status).toBe(401);
      expect(await inboxRows(db.ds, `mp:${mp.appId}:%`)).toHaveLength(0);
    });

    it('takes messages in the account format and records them on the customer timeline', async () => {
      const mp = world.apps.miniPrograms[0]!;
      const r = await world.control(`/callbacks/mp/${mp.appId}/message`, {
        type: 'text',
        openid: 'oMpUser1',
        content: 'hello mp',
        url: `${gw.url}/wechat/mini-program/${mp.appId}`,
      });
      expect(r.delivery.delivered).toBe(true);
      const customer = await waitFor(() => customerOf('mp_openid', mp.appId, 'oMpUser1'));
      await waitFor(
        async () =>
          (await select(db.ds, "SELECT id FROM events WHERE customer_id = ? AND type = 'mp.message.text'", [customer]))
            .length === 1,
      );
    });
  });

  describe('WeChat Pay', () => {
    it('rejects a tampered signature and a signature probe: 4xx {code,message}, nothing stored', async () => {
      const m = world.apps.merchants[0]!;
      const url = `${gw.url}/wechat/pay/${m.mchId}`;
      for (const variant of [{ tamper: 'signature' }, { probe: true }, { tamper: 'body' }]) {
        const r = await world.control(`/pay/${m.mchId}/transactions`, {
          openid: 'oPayBad',
          amount: 100,
          url,
          ...variant,
        });
        expect(r.notification.expectationMet).toBe(true);
        const attempt = r.notification.attempts[0];
        expect(attempt.status).toBe(401);
        expect(JSON.parse(attempt.body)).toEqual({ code: expect.any(String), message: expect.any(String) });
      }
      expect(await inboxRows(db.ds, `pay:${m.mchId}:%`)).toHaveLength(0);
    });

    it('records a payment once (204), links it to the payer, and applies a refund', async () => {
      const m = world.apps.merchants[0]!;
      const url = `${gw.url}/wechat/pay/${m.mchId}`;
      const openid = 'oPayer000000000000000000001';
      const paid = await world.control(`/pay/${m.mchId}/transactions`, {
        openid,
        amount: 2599,
        outTradeNo: 'E2E-T1',
        url,
        duplicates: 1,
        mode: 'public-key',
      });
      expect(paid.notification.attempts.map((a: { status: number }) => a.status)).toEqual([204, 204]);
      expect(await inboxRows(db.ds, `pay:${m.mchId}:%`)).toHaveLength(1);
      const refund = await world.control(`/pay/${m.mchId}/refunds`, { outTradeNo: 'E2E-T1', refund: 599, url });
      expect(refund.notification.attempts[0].status).toBe(204);
      const row = await waitFor(async () =>
        (
          await select<Record<string, unknown>>(
            db.ds,
            'SELECT * FROM transactions WHERE mch_id = ? AND out_trade_no = ?',
            [m.mchId, 'E2E-T1'],
          )
        ).find((t) => Number(t.refunded_total) === 599),
      );
      expect(row).toMatchObject({ state: 'REFUND', payer_openid: openid, app_id: m.appId });
      expect(Number(row.amount_total)).toBe(2599);
      const type = world.apps.officialAccounts.some((a) => a.appId === m.appId) ? 'oa_openid' : 'mp_openid';
      expect(row.customer_id).toBe(await customerOf(type, m.appId, openid));
    });
  });
});
