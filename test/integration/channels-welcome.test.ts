import { ApiKeyService } from '../../src/auth/api-key.service';
import type { RunningGateway } from '../../src/server';
import { insertIgnore, select, toDbTime } from '../../src/storage/sql';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

const BACKLOG = 50_000;

/**
 * The welcome message's fast path (DESIGN §10.2): sent within WeChat's 20 s of the add while the inbox holds a large
 * backlog, once, and never after the code expired; the emulator records what WeCom received.
 */
describe('channel welcome messages', () => {
  let db: TestDatabase;
  let world: World;
  let gw: RunningGateway;
  let operator: string;
  let corpId: string;
  let staff: string;
  let channel: { id: string; configId: string };

  const api = async (path: string, init: { method?: string; json?: unknown } = {}) => {
    const res = await fetch(`${gw.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${operator}`, ...(init.json ? { 'content-type': 'application/json' } : {}) },
      body: init.json ? JSON.stringify(init.json) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const welcomes = async () =>
    (
      await world.control<{ sent: { welcomeCode: string; externalUserId: string; text: string }[] }>(
        `/state/wecom/${corpId}/welcome-messages`,
      )
    ).sent;
  const sendRow = async (code: string) =>
    (
      await select<{ status: string; errcode: unknown }>(
        gw.app.ds,
        'SELECT status, errcode FROM welcome_sends WHERE welcome_code = ?',
        [code],
      )
    )[0];
  const pending = async () =>
    Number((await select(gw.app.ds, "SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'"))[0]!.n);

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await startWorld(db.url);
    gw = await gateway(world.config);
    operator = (await new ApiKeyService(gw.app.ds).create('welcome-operator', 'operator')).key;
    corpId = world.apps.corps[0]!.corpId;
    const people = (
      await world.control<{ staff: { userid: string; contactFeature: boolean; left?: boolean }[] }>(
        `/state/wecom/${corpId}/staff`,
      )
    ).staff;
    staff = people.find((s) => s.contactFeature && !s.left)!.userid;
    await world.control(`/apps/${corpId}`, { url: `${gw.url}/wechat/wecom/${corpId}` }, 'PATCH');
    channel = (
      await api('/channels', {
        method: 'POST',
        json: {
          name: '欢迎语活码',
          kind: 'wecom-contact-way',
          accountId: corpId,
          staffUserIds: [staff],
          welcome: { text: '您好，欢迎添加！回复 1 领取新人券。' },
        },
      })
    ).body;
  }, 120_000);

  afterAll(async () => {
    await gw?.stop();
    await world?.close();
    await db?.drop();
  });

  it('sends the welcome message within 20 s while the inbox drains a backlog', async () => {
    // The backlog: callbacks already acknowledged and waiting for the processor, as after a burst.
    const at = toDbTime(new Date());
    const rows = Array.from({ length: BACKLOG }, (_, i) => ({
      account: corpId,
      channel: 'wecom',
      kind: 'wecom.event.backlog',
      dedupe_key: `backlog:${i}`,
      raw: '<xml/>',
      events: JSON.stringify([
        {
          kind: 'unsupported',
          channel: 'wecom',
          account: corpId,
          occurredAt: new Date().toISOString(),
          what: 'backlog',
        },
      ]),
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      received_at: at,
    }));
    expect(await insertIgnore(gw.app.ds, 'inbox', rows)).toBe(BACKLOG);

    const add = await world.control<{ externalUserId: string; welcomeCode: string }>(
      `/wecom/${corpId}/contact-ways/${channel.configId}/add`,
      {},
    );
    expect(add.welcomeCode).toBeTruthy();
    const sent = await waitFor(async () => (await welcomes()).find((w) => w.welcomeCode === add.welcomeCode), 20_000);
    expect(sent).toMatchObject({ externalUserId: add.externalUserId, text: '您好，欢迎添加！回复 1 领取新人券。' });
    // Sent ahead of the backlog, not after it.
    expect(await pending()).toBeGreaterThan(1_000);
    expect(await sendRow(add.welcomeCode)).toEqual({ status: 'sent', errcode: null });

    // WeChat retrying the same callback (a lost ack) sends nothing twice: the code's row is the claim.
    gw.app.welcomes.offer([
      {
        kind: 'follow.added',
        channel: 'wecom',
        account: corpId,
        occurredAt: new Date().toISOString(),
        staffUserId: staff,
        externalUserId: add.externalUserId,
        half: false,
        state: (await api(`/channels/${channel.id}`)).body.state,
        welcomeCode: add.welcomeCode,
      },
    ]);
    await gw.app.welcomes.settled();
    expect((await welcomes()).filter((w) => w.welcomeCode === add.welcomeCode)).toHaveLength(1);
  }, 120_000);

  it('never calls WeChat with a code past its 20 s, and counts it as expired', async () => {
    const state = (await api(`/channels/${channel.id}`)).body.state;
    const before = (await welcomes()).length;
    gw.app.welcomes.offer([
      {
        kind: 'follow.added',
        channel: 'wecom',
        account: corpId,
        occurredAt: new Date(Date.now() - 30_000).toISOString(),
        staffUserId: staff,
        externalUserId: 'wm-late',
        half: false,
        state,
        welcomeCode: 'late-code',
      },
    ]);
    await gw.app.welcomes.settled();
    expect(await sendRow('late-code')).toEqual({ status: 'expired', errcode: null });
    expect((await welcomes()).length).toBe(before);
  });
});
