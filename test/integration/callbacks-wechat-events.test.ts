import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

/**
 * The events gateways tend to drop (wechat-api-events.md §2), sent by the emulator exactly as WeChat does and
 * followed through the real gateway: LOCATION acked and dropped by default, MASSSENDJOBFINISH, and the
 * subscribe-message events of an OA (XML) and a Mini Program (JSON and XML).
 */
describe('WeChat events end to end (emulator → gateway → inbox → timeline)', () => {
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

  const oaId = () => world.apps.officialAccounts[0]!.appId;
  const mpId = () => world.apps.miniPrograms[0]!.appId;
  const oaUrl = () => `${gw.url}/wechat/official-account/${oaId()}`;
  const mpUrl = () => `${gw.url}/wechat/mini-program/${mpId()}`;
  const processed = (like: string) =>
    waitFor(async () => {
      const rows = await select<{ status: string; raw: string; dedupe_key: string }>(
        db.ds,
        'SELECT status, raw, dedupe_key FROM inbox WHERE kind LIKE ?',
        [like],
      );
      return rows.length > 0 && rows.every((r) => r.status === 'done') ? rows : undefined;
    });
  const timeline = (type: string) =>
    select<{ customer_id: string | null; payload: string }>(
      db.ds,
      'SELECT customer_id, payload FROM events WHERE type = ? ORDER BY id',
      [type],
    );

  it('acks LOCATION and keeps nothing personal by default', async () => {
    const d = await world.control(`/callbacks/oa/${oaId()}/event`, {
      type: 'LOCATION',
      openid: 'oLocated0001',
      url: oaUrl(),
    });
    expect(d.delivery.attempts.at(-1).reply.kind).toBe('ack');
    const [row] = await processed('oa.event.LOCATION');
    expect(row!.raw).toBe('');
    expect(row!.dedupe_key).not.toContain('oLocated0001');
    expect(await timeline('oa.location')).toHaveLength(0);
    const ids = await select(db.ds, 'SELECT id FROM identities WHERE value = ?', ['oLocated0001']);
    expect(ids).toHaveLength(0);
  });

  it('records MASSSENDJOBFINISH as an account event with its counts', async () => {
    await world.control(`/callbacks/oa/${oaId()}/event`, {
      type: 'MASSSENDJOBFINISH',
      openid: 'oAdmin0001',
      msgId: 1000000123,
      status: 'send success',
      totalCount: 120,
      filterCount: 118,
      sentCount: 117,
      errorCount: 1,
      articleUrls: ['http://mp.weixin.qq.com/s/EXAMPLE'],
      url: oaUrl(),
    });
    await processed('oa.event.MASSSENDJOBFINISH');
    const [e] = await timeline('oa.mass_send_finished');
    expect(e!.customer_id).toBeNull();
    expect(JSON.parse(e!.payload)).toEqual({
      msgId: '1000000123',
      status: 'send success',
      totalCount: 120,
      filterCount: 118,
      sentCount: 117,
      errorCount: 1,
    });
  });

  it('records each template of an OA popup and a later withdrawal on the person', async () => {
    await world.control(`/callbacks/oa/${oaId()}/subscribe-msg`, {
      event: 'subscribe_msg_popup_event',
      openid: 'oSubscriber01',
      templates: [
        { templateId: 'TPL_A', status: 'accept', popupScene: '2' },
        { templateId: 'TPL_B', status: 'reject', popupScene: '2' },
      ],
      url: oaUrl(),
    });
    await world.control(`/callbacks/oa/${oaId()}/subscribe-msg`, {
      event: 'subscribe_msg_change_event',
      openid: 'oSubscriber01',
      templates: [{ templateId: 'TPL_A' }],
      url: oaUrl(),
    });
    await processed('oa.event.subscribe_msg_%');
    const popups = await timeline('oa.subscribe_msg_popup');
    expect(popups.map((p) => JSON.parse(p.payload))).toEqual([
      { templateId: 'TPL_A', status: 'accept', popupScene: '2' },
      { templateId: 'TPL_B', status: 'reject', popupScene: '2' },
    ]);
    const [change] = await timeline('oa.subscribe_msg_change');
    expect(JSON.parse(change!.payload)).toEqual({ templateId: 'TPL_A', status: 'reject' });
    expect(change!.customer_id).toBe(popups[0]!.customer_id);
    // Each template's answer is the person's consent for it on the OA (DESIGN §12): TPL_A granted, then withdrawn.
    const consents = await select<{ purpose: string; channel: string; granted: unknown; source: string }>(
      db.ds,
      'SELECT purpose, channel, granted, source FROM consents WHERE customer_id = ? ORDER BY purpose',
      [change!.customer_id],
    );
    expect(consents.map((c) => [c.purpose, c.channel, Number(c.granted), c.source])).toEqual([
      ['subscribe_msg:TPL_A', 'oa', 0, 'wechat'],
      ['subscribe_msg:TPL_B', 'oa', 0, 'wechat'],
    ]);
    const changed = await select<{ payload: string }>(
      db.ds,
      "SELECT payload FROM events WHERE customer_id = ? AND type = 'consent.changed' ORDER BY id",
      [change!.customer_id],
    );
    expect(changed.map((c) => JSON.parse(c.payload) as { purpose: string; granted: boolean })).toEqual([
      expect.objectContaining({ purpose: 'subscribe_msg:TPL_A', granted: true, previous: null }),
      expect.objectContaining({ purpose: 'subscribe_msg:TPL_B', granted: false, previous: null }),
      expect.objectContaining({ purpose: 'subscribe_msg:TPL_A', granted: false, previous: true }),
    ]);
  });

  it.each(['json', 'xml'] as const)('takes Mini Program subscribe-message events in %s', async (format) => {
    const openid = `oMpSub_${format}`;
    await world.control(`/callbacks/mp/${mpId()}/subscribe-msg`, {
      event: 'subscribe_msg_popup_event',
      openid,
      templates: [{ templateId: 'TPL_MP', status: 'accept' }],
      format,
      url: mpUrl(),
    });
    await world.control(`/callbacks/mp/${mpId()}/subscribe-msg`, {
      event: 'subscribe_msg_sent_event',
      openid,
      templates: [
        { templateId: 'TPL_MP', msgId: '1864000000000000001' },
        { templateId: 'TPL_MP2', msgId: '1864000000000000002', errorCode: '10004', errorStatus: 'failed' },
      ],
      format,
      url: mpUrl(),
    });
    await processed('mp.event.subscribe_msg_%');
    const customer = await waitFor(async () => {
      const rows = await select<{ customer_id: string }>(db.ds, 'SELECT customer_id FROM identities WHERE value = ?', [
        openid,
      ]);
      return rows[0]?.customer_id;
    });
    const rows = await select<{ type: string; payload: string }>(
      db.ds,
      'SELECT type, payload FROM events WHERE customer_id = ? ORDER BY id',
      [customer],
    );
    expect(rows.map((r) => r.type)).toEqual(['mp.subscribe_msg_popup', 'consent.changed', 'mp.subscribe_msg_sent']);
    const [consent] = await select<{ purpose: string; channel: string; granted: unknown }>(
      db.ds,
      'SELECT purpose, channel, granted FROM consents WHERE customer_id = ?',
      [customer],
    );
    expect([consent!.purpose, consent!.channel, Number(consent!.granted)]).toEqual(['subscribe_msg:TPL_MP', 'mp', 1]);
    expect(JSON.parse(rows[2]!.payload).results).toHaveLength(2);
  });
});
