import { randomBytes } from 'crypto';
import type { DataSource } from 'typeorm';
import { ApiKeyService } from '../../src/auth/api-key.service';
import type { RunningGateway } from '../../src/server';
import { dialectFor } from '../../src/storage/dialect';
import { execute, q, select } from '../../src/storage/sql';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { gateway, startWorld, waitFor, type World } from '../integration/callbacks-harness';

/** Every row of every table as text, so a test can say "nothing holds X" without knowing where X could hide. */
async function everything(ds: DataSource): Promise<string> {
  const tables =
    dialectFor(ds).family === 'mysql'
      ? await select<{ name: string }>(
          ds,
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
        )
      : await select<{ name: string }>(
          ds,
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'",
        );
  expect(tables.length).toBeGreaterThan(20);
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await select<Record<string, unknown>>(ds, `SELECT * FROM ${q(ds, name)}`);
    parts.push(
      `${name}: ${JSON.stringify(rows, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'bigint' ? String(v) : v))}`,
    );
  }
  return parts.join('\n');
}

/**
 * DESIGN §12: erasure reaches the raw callbacks. A person with an OA text message, a follow, a Pay notification
 * and a callback not processed yet is erased; afterwards no table holds their openid or their message text.
 */
describe('erasure removes the person from the inbox', () => {
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

  it('deletes their message, event, payment and unprocessed rows; no table holds their openid or words', async () => {
    const m = world.apps.merchants[0]!;
    const appId = m.appId;
    const openid = `oErase${randomBytes(8).toString('hex')}`;
    const words = `please forget me ${randomBytes(6).toString('hex')}`;
    const oaUrl = `${gw.url}/wechat/official-account/${appId}`;

    await world.control(`/callbacks/oa/${appId}/message`, { type: 'text', openid, content: words, url: oaUrl });
    await world.control(`/callbacks/oa/${appId}/event`, { type: 'subscribe', openid, url: oaUrl });
    await world.control(`/pay/${m.mchId}/transactions`, {
      openid,
      amount: 1999,
      outTradeNo: `ERASE-${randomBytes(4).toString('hex')}`,
      url: `${gw.url}/wechat/pay/${m.mchId}`,
      mode: 'public-key',
    });
    const processed = async () =>
      Number((await select<{ n: unknown }>(db.ds, "SELECT COUNT(*) AS n FROM inbox WHERE status = 'done'"))[0]!.n);
    await waitFor(async () => (await processed()) === 3, 20_000);
    // A callback of theirs accepted but not processed yet (due far in the future, so the worker leaves it).
    await execute(
      db.ds,
      "INSERT INTO inbox (account, channel, kind, dedupe_key, raw, events, status, attempts, next_attempt_at, received_at) VALUES (?, 'official-account', 'oa.event.location', ?, ?, '[]', 'pending', 0, '2099-01-01 00:00:00.000', '2026-01-01 00:00:00.000')",
      [appId, `oa:${appId}:event:${openid}:1767225600:LOCATION:`, `<xml><FromUserName>${openid}</FromUserName></xml>`],
    );
    const other = `oKeep${randomBytes(8).toString('hex')}`;
    await world.control(`/callbacks/oa/${appId}/message`, {
      type: 'text',
      openid: other,
      content: 'keep me',
      url: oaUrl,
    });
    await waitFor(async () => (await processed()) === 4, 20_000);

    const before = await everything(db.ds);
    expect(before).toContain(openid);
    expect(before).toContain(words);
    const [customer] = await select<{ customer_id: string }>(
      db.ds,
      "SELECT customer_id FROM identities WHERE type = 'oa_openid' AND value = ?",
      [openid],
    );
    const admin = (await new ApiKeyService(db.ds).create('erasure-inbox-admin', 'admin')).key;

    const res = await fetch(`${gw.url}/api/v1/customers/${customer!.customer_id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ erased: true, inboxRows: 4, transactions: 1 });

    const after = await everything(db.ds);
    expect(after).not.toContain(openid);
    expect(after).not.toContain(words);
    // Only this person's rows went.
    expect(after).toContain(other);
    expect(await select(db.ds, 'SELECT status FROM inbox')).toEqual([{ status: 'done' }]);
  });
});
