import { ApiKeyService } from '../../src/auth/api-key.service';
import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { findFollowedCustomer } from '../../src/storage/sidebar/followed-customer.repository';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

const DAY = 24 * 3600;

/**
 * WeCom customer transfers as an operator runs them (DESIGN §10.3): 250 customers moved between two reps in the
 * emulator, the customer's 24 h window on the emulator clock, a refusal and a receiver at its limit reported per
 * customer, the relation, tags and sidebar access moving, the full sync leaving waiting relations alone, and a
 * departed rep's customers listed as unassigned and handed over in one request.
 */
describe('transfers API', () => {
  let db: TestDatabase;
  let world: World;
  let gw: RunningGateway;
  let admin: string;
  let viewer: string;
  let corpId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await startWorld(db.url);
    // The emulator clock runs days ahead of the gateway's here: callbacks sent after a jump carry its time.
    gw = await gateway({ ...world.config, callbacks: { ...world.config.callbacks, maxSkewSeconds: 0 } });
    const keys = new ApiKeyService(gw.app.ds);
    admin = (await keys.create('xfer-admin', 'admin')).key;
    viewer = (await keys.create('xfer-viewer', 'viewer')).key;
    corpId = world.apps.corps[0]!.corpId;
    await world.control(`/apps/${corpId}`, { url: `${gw.url}/wechat/wecom/${corpId}` }, 'PATCH');
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
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const sync = async (resource: string) => {
    const started = await api('/syncs', admin, { method: 'POST', json: { accountId: corpId, resource } });
    expect(started.status).toBe(202);
    return waitFor(async () => {
      const r = (await api(`/syncs/${started.body.id}`)).body;
      return r.status === 'done' ? r : r.status === 'failed' ? Promise.reject(new Error(r.error)) : undefined;
    });
  };
  const customersOf = async (userid: string, n: number): Promise<string[]> => {
    const out: string[] = [];
    for (let i = 0; i < n; i++)
      out.push((await world.control(`/wecom/${corpId}/contacts`, { followers: [{ userid }] })).externalUserId);
    return out;
  };
  const emulatorRelations = (userid: string) =>
    world.emulator.state.world.corp(corpId)!.staffByUserid.get(userid)!.relations;
  const liveFollow = async (userid: string, ext: string) =>
    Number(
      (
        await select<{ n: number | string }>(
          db.ds,
          'SELECT COUNT(*) AS n FROM wecom_follows WHERE corp_id = ? AND staff_userid = ? AND external_userid = ? AND deleted = 0',
          [corpId, userid, ext],
        )
      )[0]!.n,
    );
  const advanceDay = () => world.control('/clock/advance', { seconds: DAY + 1 });

  let moving: string[] = [];
  let refused = '';
  let transferId = '';

  it('refuses bad requests before WeChat: anonymous 401, a viewer 403, an unknown corp 404, bad bodies 422, no row left', async () => {
    const body = { corpId, fromUserId: 'a', toUserId: 'b', externalUserIds: ['wm1'] };
    expect((await api('/transfers', '', { method: 'POST', json: body })).status).toBe(401);
    expect((await api('/transfers', viewer, { method: 'POST', json: body })).status).toBe(403);
    const unknown = await api('/transfers', admin, { method: 'POST', json: { ...body, corpId: 'ww-nope' } });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'ACCOUNT_NOT_FOUND']);
    for (const bad of [
      { ...body, externalUserIds: [] },
      { ...body, toUserId: 'a' },
      { ...body, kind: 'sideways' },
      { ...body, kind: 'resigned', message: '你好' },
      { ...body, message: 'x'.repeat(201) },
    ]) {
      const r = await api('/transfers', admin, { method: 'POST', json: bad });
      expect([r.status, r.body.error.code]).toEqual([422, 'VALIDATION_FAILED']);
    }
    // WeChat refuses the whole request (no such member): a 422 naming it, and nothing stored.
    const refusedByWechat = await api('/transfers', admin, { method: 'POST', json: body });
    expect([refusedByWechat.status, refusedByWechat.body.error.code]).toEqual([422, 'WECHAT_REFUSED']);
    expect((await api('/transfers', viewer)).body.items).toEqual([]);
    expect((await api('/transfers/999', viewer)).status).toBe(404);
  });

  it('starts an on-job transfer of 251 customers with per-customer answers (202), names not ids', async () => {
    await world.control(`/wecom/${corpId}/staff`, { userid: 'rep_from', name: '王出让' });
    await world.control(`/wecom/${corpId}/staff`, { userid: 'rep_to', name: '李接手' });
    await world.control(`/wecom/${corpId}/staff`, { userid: 'rep_full', name: '张满员' });
    const mine = await customersOf('rep_from', 252);
    const [stranger] = await customersOf('rep_full', 1);
    await sync('staff');
    await sync('contacts');
    moving = mine.slice(0, 251);
    refused = moving[0]!;
    const r = await api('/transfers', admin, {
      method: 'POST',
      json: {
        corpId,
        fromUserId: 'rep_from',
        toUserId: 'rep_to',
        externalUserIds: [...moving, stranger],
        message: '后续由李接手为您服务',
      },
    });
    expect(r.status).toBe(202);
    transferId = r.body.id;
    expect(r.body).toMatchObject({
      corpId,
      kind: 'on-job',
      status: 'running',
      fromName: '王出让',
      toName: '李接手',
      counts: { waiting: 251, failed: 1, done: 0, refused: 0 },
    });
    expect(r.body.items).toHaveLength(252);
    expect(r.body.items.find((i: { externalUserId: string }) => i.externalUserId === stranger)).toMatchObject({
      status: 'failed',
      reason: 'not_following',
    });
    expect(r.body.items[1]).toMatchObject({ status: 'waiting', customerId: expect.any(String) });
  });

  it('keeps waiting relations through a full sync even when WeChat no longer lists one', async () => {
    const ext = moving[5]!;
    await world.control(`/wecom/${corpId}/relations/delete`, { userid: 'rep_from', externalUserId: ext, by: 'member' });
    await sync('contacts');
    expect(await liveFollow('rep_from', ext)).toBe(1);
    // Put it back so the transfer can complete (the customer still follows in the story).
    await world.control(`/wecom/${corpId}/contacts`, {
      personId: world.emulator.state.world
        .corp(corpId)!
        .slotPerson.get(world.emulator.state.world.corp(corpId)!.slotOf(ext)),
      followers: [{ userid: 'rep_from' }],
    });
  });

  it('marks a refusal at once from the transfer_fail callback', async () => {
    const r = await world.control(`/wecom/${corpId}/transfers/refuse`, { externalUserId: refused, notify: true });
    expect(r.delivery.delivered).toBe(true);
    const item = await waitFor(async () => {
      const t = (await api(`/transfers/${transferId}`, viewer)).body;
      const i = t.items.find((x: { externalUserId: string }) => x.externalUserId === refused);
      return i.status === 'refused' ? i : undefined;
    });
    expect(item.reason).toBe('customer_refused');
  });

  it('after the 24 h on the emulator clock, moves 250 relations to the receiver with their tags; the sidebar follows', async () => {
    const tag = (
      await api('/tags', admin, { method: 'POST', json: { name: '转移VIP', bindings: [{ channel: 'wecom', corpId }] } })
    ).body;
    const sample = moving.slice(1, 4);
    const customerIds: string[] = [];
    for (const ext of sample) {
      const c = await api(`/customers/lookup?type=wecom_external_userid&scope=${corpId}&value=${ext}`, viewer);
      customerIds.push(c.body.id);
      expect(
        (await api(`/customers/${c.body.id}/tags`, admin, { method: 'POST', json: { tagIds: [tag.id] } })).status,
      ).toBe(200);
    }
    const lostBefore = (await api('/overview', viewer)).body.daily.reduce(
      (n: number, d: { lost: number }) => n + d.lost,
      0,
    );

    await advanceDay();
    // The job's work, run now: poll until the transfer is final (a poll that meets a transient failure retries).
    const t = await waitFor(async () => {
      await gw.app.transfers.poll({ all: true });
      const r = (await api(`/transfers/${transferId}`, viewer)).body;
      return r.status === 'done' ? r : undefined;
    });
    expect(t).toMatchObject({ status: 'done', counts: { done: 250, refused: 1, failed: 1, waiting: 0 } });
    expect(t.finishedAt).toEqual(expect.any(String));

    // The emulator's state: 250 relations on the receiver, the refusing customer still with the old rep.
    expect(emulatorRelations('rep_to')).toHaveLength(250);
    expect(
      emulatorRelations('rep_from').map((r) => world.emulator.state.world.corp(corpId)!.externalUserid(r.slot)),
    ).toContain(refused);
    // The tags re-applied on the new relations through the outbox.
    const remoteTag = (await api(`/tags/${tag.id}`, viewer)).body.bindings[0].remoteTagId as string;
    await waitFor(async () => {
      const rels = (await world.control(`/state/wecom/${corpId}/relations?userid=rep_to&limit=1000`)).relations as {
        externalUserId: string;
        tags: { id: string }[];
      }[];
      return sample.every((ext) => rels.find((r) => r.externalUserId === ext)?.tags.some((x) => x.id === remoteTag));
    });
    // Sidebar access moved; the relation ended as transferred, never a loss.
    for (const ext of sample) {
      expect((await findFollowedCustomer(db.ds, corpId, 'rep_to', ext))?.followed).toBe(true);
      expect((await findFollowedCustomer(db.ds, corpId, 'rep_from', ext))?.followed).toBe(false);
    }
    const lostAfter = (await api('/overview', viewer)).body.daily.reduce(
      (n: number, d: { lost: number }) => n + d.lost,
      0,
    );
    expect(lostAfter).toBe(lostBefore);
    const events = (await api(`/customers/${customerIds[0]}/events`, viewer)).body.items as {
      type: string;
      payload: any;
    }[];
    expect(events.find((e) => e.type === 'wecom.follow_transferred')?.payload).toMatchObject({
      fromUserId: 'rep_from',
      toUserId: 'rep_to',
    });
    const staff = (await api(`/staff?corpId=${corpId}`, viewer)).body.items as {
      userid: string;
      customerCount: number;
    }[];
    expect(staff.find((s) => s.userid === 'rep_to')?.customerCount).toBe(250);
  });

  it('reports a receiver at its customer limit per customer (status 4 and the transfer_fail callback)', async () => {
    const [ext] = await customersOf('rep_from', 1);
    await sync('contacts');
    await world.control(`/wecom/${corpId}/staff/rep_full/customer-limit`, { limit: 1 }, 'PATCH');
    const r = await api('/transfers', admin, {
      method: 'POST',
      json: { corpId, fromUserId: 'rep_from', toUserId: 'rep_full', externalUserIds: [ext] },
    });
    expect(r.body.items[0].status).toBe('waiting');
    await advanceDay();
    await world.control(`/wecom/${corpId}/transfers/settle`, { notify: true });
    const item = await waitFor(async () => {
      const i = (await api(`/transfers/${r.body.id}`, viewer)).body.items[0];
      return i.status === 'failed' ? i : undefined;
    });
    expect(item.reason).toBe('customer_limit_exceed');
    expect(await liveFollow('rep_from', ext!)).toBe(1);
  });

  it('lists a departed rep’s customers as unassigned and hands them over in one request', async () => {
    await world.control(`/wecom/${corpId}/staff`, { userid: 'rep_gone', name: '赵离职' });
    const theirs = await customersOf('rep_gone', 3);
    await sync('staff');
    await sync('contacts');
    await world.control(`/wecom/${corpId}/staff/rep_gone/leave`, { notify: true });
    const page = await waitFor(async () => {
      const u = await api(`/staff/${corpId}/rep_gone/unassigned`, viewer);
      return u.body.items?.length === 3 ? u.body : undefined;
    });
    expect(page).toMatchObject({ corpId, userid: 'rep_gone', name: '赵离职' });
    expect(page.items.map((i: { externalUserId: string }) => i.externalUserId)).toEqual(theirs);
    expect(page.items[0]).toMatchObject({ customerId: expect.any(String), dimissionTime: expect.any(String) });
    // A full sync after the departure does not end their relations (they wait for a handover).
    await sync('contacts');
    expect(await liveFollow('rep_gone', theirs[0]!)).toBe(1);

    const r = await api('/transfers', admin, {
      method: 'POST',
      json: { corpId, kind: 'resigned', fromUserId: 'rep_gone', toUserId: 'rep_to', externalUserIds: theirs },
    });
    expect([r.status, r.body.counts.waiting]).toEqual([202, 3]);
    expect((await api(`/staff/${corpId}/rep_gone/unassigned`, viewer)).body.items).toEqual([]);
    await advanceDay();
    const done = await waitFor(async () => {
      await gw.app.transfers.poll({ all: true });
      const d = (await api(`/transfers/${r.body.id}`, viewer)).body;
      return d.status === 'done' ? d : undefined;
    });
    expect(done.counts).toMatchObject({ done: 3 });
    expect(await liveFollow('rep_to', theirs[2]!)).toBe(1);
    const list = (await api(`/transfers?corpId=${corpId}&userid=rep_gone`, viewer)).body;
    expect(list.items.map((t: { id: string; kind: string }) => [t.id, t.kind])).toEqual([[r.body.id, 'resigned']]);
  });
});
