import type { Server } from 'http';
import type { AddressInfo } from 'net';
import type { WecomCorp } from '../../emulator/world/wecom-corp';
import { createApp } from '../../src/http/app';
import { InboxProcessor } from '../../src/inbox/inbox-processor';
import { RefreshWorker } from '../../src/syncs/refresh/refresh.worker';
import { select } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { waitFor } from '../integration/callbacks-harness';
import { startSyncHarness, type SyncHarness } from './sync-harness';

/**
 * A person already a customer by their unionid (say an OA follower) joins a customer group and leaves it again
 * before the inbox gets to the join's callback (a backlog). groupchat/get shows their unionid only while they are
 * in the group, so the joiners' identities are read at intake; the leave, processed later in callback order, finds
 * them on that customer instead of making one of the bare external_userid (DESIGN §4, §10.1), with its QuitScene.
 */
describe('a group member who joins and leaves behind an inbox backlog', () => {
  const db = useTestDatabase();
  let h: SyncHarness;
  let server: Server;
  let rereads: RefreshWorker;
  let inbox: InboxProcessor;
  let corp: WecomCorp;
  let corpId: string;

  beforeAll(async () => {
    h = await startSyncHarness(db, {
      wecomStaff: 3,
      wecomContacts: 5,
      followers: 20,
      wecomGroups: 1,
      wecomGroupMembers: 4,
    });
    corpId = h.wecom().corpId;
    corp = h.emu.state.world.corp(corpId)!;
    server = createApp(h.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    const patched = await fetch(`${h.emu.url}/_emulator/apps/${corpId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${port}/wechat/wecom/${corpId}` }),
    });
    expect(patched.status).toBe(200);
    rereads = new RefreshWorker(h.app, { backoffBaseMs: 1 }, h.rt);
    inbox = new InboxProcessor(h.app, { backoffBaseMs: 1 });
  });
  afterAll(async () => {
    await rereads.stop();
    await inbox.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await h.close();
  });

  const customerOf = async (type: string, scope: string, value: string) =>
    (
      await select<{ customer_id: string }>(
        db.ds,
        'SELECT customer_id FROM identities WHERE type = ? AND scope = ? AND value = ?',
        [type, scope, value],
      )
    )[0]?.customer_id;

  it('links their external_userid to the customer of their unionid and puts the leave on it', async () => {
    const chat = corp.groups.chats[0]!;
    const person = h.emu.state.world.persons.count - 1;
    const unionid = corp.corp.openPlatform!.unionCodec.encode(person);
    const scope = h.wecom().openPlatformId!;
    const known = await db.ds.transaction((em) =>
      h.app.identity.resolve(em, { identities: [{ type: 'unionid', scope, value: unionid }], source: 'test' }),
    );

    const add = await h.control<{ added: { userid: string }[]; delivery: { delivered: boolean } }>(
      `/wecom/${corpId}/groups/${chat.chatId}/members`,
      { members: [{ personId: person }], notify: true },
    );
    expect(add.delivery.delivered).toBe(true);
    const externalUserid = add.added[0]!.userid;
    // The inbox has not reached the callback; the read queued at intake is done meanwhile.
    expect(await waitFor(async () => (await rereads.drain()) || undefined, 10_000)).toBe(1);
    const leave = await h.control<{ delivery: { delivered: boolean } }>(
      `/wecom/${corpId}/groups/${chat.chatId}/members/remove`,
      { members: [externalUserid], quitScene: 0, notify: true },
    );
    expect(leave.delivery.delivered).toBe(true);
    expect(await inbox.drain()).toBe(2);
    await rereads.drain();

    expect(await customerOf('wecom_external_userid', corpId, externalUserid)).toBe(known.customerId);
    expect(await customerOf('unionid', scope, unionid)).toBe(known.customerId);
    const events = await select<{ type: string; customer_id: string; payload: unknown }>(
      db.ds,
      "SELECT type, customer_id, payload FROM events WHERE type LIKE 'wecom.group.%' AND payload LIKE ?",
      [`%${externalUserid}%`],
    );
    // No read listed them as a member (the inbox's re-read came after the leave): the callback's leave only.
    expect(events.map((e) => [e.type, e.customer_id])).toEqual([['wecom.group.left', known.customerId]]);
    const payload = (typeof events[0]!.payload === 'string' ? JSON.parse(events[0]!.payload) : events[0]!.payload) as {
      quitScene: number;
    };
    expect(payload.quitScene).toBe(0);
    const [member] = await select<{ left_at: unknown; quit_scene: unknown }>(
      db.ds,
      'SELECT left_at, quit_scene FROM wecom_group_members WHERE chat_id = ? AND userid = ?',
      [chat.chatId, externalUserid],
    );
    expect(member!.left_at).not.toBeNull();
    expect(Number(member!.quit_scene)).toBe(0);
  });
});
