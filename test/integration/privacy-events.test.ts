import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

/**
 * WeChat's privacy events acted on (DESIGN §12), tried as a brand's compliance officer would: the emulator sends
 * what WeChat sends, the real gateway acts on it with the default settings, within a minute.
 */
describe('privacy events end to end (emulator → gateway)', () => {
  let db: TestDatabase;
  let world: World;
  let gw: RunningGateway;
  const openid = 'oMpPrivacyUser0001';

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

  const mpId = () => world.apps.miniPrograms[0]!.appId;
  const mpUrl = () => `${gw.url}/wechat/mini-program/${mpId()}`;
  const identities = (customerId: string) =>
    select<{ type: string; value: string }>(
      db.ds,
      'SELECT type, value FROM identities WHERE customer_id = ? ORDER BY type',
      [customerId],
    );
  const customer = async (id: string) =>
    (
      await select<{ status: string; display_name: string | null }>(
        db.ds,
        'SELECT status, display_name FROM customers WHERE id = ?',
        [id],
      )
    )[0]!;
  const eventTypes = async (id: string) =>
    (await select<{ type: string }>(db.ds, 'SELECT type FROM events WHERE customer_id = ? ORDER BY id', [id])).map(
      (r) => r.type,
    );
  const done = (like: string) =>
    waitFor(async () => {
      const rows = await select<{ status: string }>(db.ds, 'SELECT status FROM inbox WHERE kind LIKE ?', [like]);
      return rows.length > 0 && rows.every((r) => r.status === 'done');
    }, 60_000);

  it('a revoked nickname grant clears the nickname; an account closure removes the MP identity and its data, the rest of the person stays', async () => {
    await world.control(`/callbacks/mp/${mpId()}/message`, { type: 'text', openid, content: '你好', url: mpUrl() });
    const customerId = await waitFor(async () => {
      const [row] = await select<{ customer_id: string }>(db.ds, 'SELECT customer_id FROM identities WHERE value = ?', [
        openid,
      ]);
      return row?.customer_id;
    }, 60_000);
    // The same person is known to the brand's CRM too, with a nickname from the Mini Program.
    await db.ds.transaction((em) =>
      gw.app.identity.resolve(em, {
        identities: [
          { type: 'mp_openid', scope: mpId(), value: openid },
          { type: 'external_id', scope: 'crm', value: 'crm-0001' },
        ],
        source: 'test.crm',
        profile: { displayName: '小明' },
      }),
    );
    expect((await customer(customerId)).display_name).toBe('小明');

    await world.control(`/callbacks/mp/${mpId()}/privacy`, {
      event: 'user_authorization_revoke',
      openid,
      revokeInfo: '6',
      format: 'json',
      url: mpUrl(),
    });
    await done('mp.event.user_authorization_revoke');
    expect((await customer(customerId)).display_name).toBeNull();
    expect((await identities(customerId)).map((i) => i.type)).toEqual(['external_id', 'mp_openid']);

    const closed = await world.control(`/callbacks/mp/${mpId()}/privacy`, {
      event: 'user_authorization_cancellation',
      openid,
      url: mpUrl(),
    });
    expect(closed.delivery.attempts.at(-1).reply.kind).toBe('ack');
    await waitFor(async () => (await identities(customerId)).length === 1, 60_000);
    expect(await identities(customerId)).toEqual([{ type: 'external_id', value: 'crm-0001' }]);
    expect((await customer(customerId)).status).toBe('active');
    // The MP's timeline and raw callbacks are gone; what is left names what went, not the values.
    expect(await eventTypes(customerId)).toEqual(['mp.privacy.cancellation']);
    const [entry] = await select<{ payload: string }>(db.ds, 'SELECT payload FROM events WHERE customer_id = ?', [
      customerId,
    ]);
    expect(entry!.payload).not.toContain(openid);
    expect(JSON.parse(entry!.payload)).toMatchObject({ onCancellation: 'unlink', removed: { identities: 1 } });
    expect(await select(db.ds, 'SELECT id FROM inbox WHERE raw LIKE ?', [`%${openid}%`])).toEqual([]);
    const audit = await select<{ actor: string; action: string; target_id: string }>(
      db.ds,
      "SELECT actor, action, target_id FROM audit_log WHERE action LIKE 'privacy.%' ORDER BY id",
    );
    expect(audit).toEqual([
      { actor: 'wechat', action: 'privacy.revoke', target_id: customerId },
      { actor: 'wechat', action: 'privacy.cancellation', target_id: customerId },
    ]);

    // A late callback of the closed account does not bring the identity back (tombstone).
    await world.control(`/callbacks/mp/${mpId()}/message`, { type: 'text', openid, content: 'late', url: mpUrl() });
    await done('mp.message.text');
    expect(await select(db.ds, 'SELECT id FROM identities WHERE value = ?', [openid])).toEqual([]);
  });

  it('a revoked phone grant removes the phone the Mini Program gave and nothing else', async () => {
    const other = 'oMpPrivacyUser0002';
    const resolved = await db.ds.transaction((em) =>
      gw.app.identity.resolve(em, {
        identities: [
          { type: 'mp_openid', scope: mpId(), value: other },
          { type: 'phone', scope: 'default', value: '13800138002' },
        ],
        source: 'mp.phone',
        verified: true,
      }),
    );
    const customerId = resolved.customerId!;
    expect((await identities(customerId)).map((i) => i.type)).toEqual(['mp_openid', 'phone']);

    await world.control(`/callbacks/mp/${mpId()}/privacy`, {
      event: 'user_authorization_revoke',
      openid: other,
      revokeInfo: 8,
      url: mpUrl(),
    });
    await waitFor(async () => (await identities(customerId)).length === 1, 60_000);
    expect((await identities(customerId)).map((i) => i.type)).toEqual(['mp_openid']);
    const [row] = await select<{ phone_enc: string | null; status: string }>(
      db.ds,
      'SELECT phone_enc, status FROM customers WHERE id = ?',
      [customerId],
    );
    expect(row).toEqual({ phone_enc: null, status: 'active' });
    const [entry] = await select<{ payload: string }>(
      db.ds,
      "SELECT payload FROM events WHERE customer_id = ? AND type = 'mp.privacy.revoke'",
      [customerId],
    );
    expect(entry!.payload).not.toContain('13800138002');
    expect(JSON.parse(entry!.payload)).toEqual({ revokeInfo: '8', grant: 'phone', removed: { phone: 1 } });
  });
});
