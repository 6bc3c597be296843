import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { startTestApp, type TestApp } from '../helpers/test-app';
import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { gateway, inboxRows, startWorld, waitFor, type World } from './callbacks-harness';

/**
 * DESIGN §6: "processing is asynchronous and resumes after a crash". The first gateway is the same koa app with
 * no background workers — a process that died right after committing and acking — and the second is a full
 * gateway started on the same database, whose processor picks the rows up.
 */
describe('a crash between inbox commit and processing', () => {
  let db: TestDatabase;
  let world: World;
  let first: TestApp | undefined;
  let second: RunningGateway | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await startWorld(db.url);
  });
  afterAll(async () => {
    await first?.close();
    await second?.stop();
    await world?.close();
    await db?.drop();
  });

  it('rejects a forged callback before anything else: 401, nothing stored', async () => {
    first = await startTestApp(db.ds, world.config);
    const app = world.apps.officialAccounts[0]!;
    const res = await fetch(
      `${first.url}/wechat/official-account/${app.appId}?signature=0&timestamp=${Math.floor(Date.now() / 1000)}&nonce=1`,
      { method: 'POST', body: '<xml><ToUserName>x</ToUserName></xml>' },
    );
    expect(res.status).toBe(401);
    expect(await inboxRows(db.ds, '%')).toHaveLength(0);
  });

  it('acks, dies before processing, and the next gateway processes what was acked', async () => {
    const app = world.apps.officialAccounts[0]!;
    const url = `${first!.url}/wechat/official-account/${app.appId}`;
    for (let i = 0; i < 5; i++) {
      const r = await world.control(`/callbacks/oa/${app.appId}/message`, {
        type: 'text',
        openid: `oCrash${i % 2}`,
        msgId: String(7000 + i),
        url,
      });
      expect(r.delivery.attempts[0]).toMatchObject({ status: 200, body: 'success' });
    }
    await first!.close();
    first = undefined;
    const pending = await inboxRows(db.ds, `oa:${app.appId}:msg:700%`);
    expect(pending.map((r) => r.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);

    second = await gateway(world.config);
    await waitFor(async () => (await inboxRows(db.ds, `oa:${app.appId}:msg:700%`)).every((r) => r.status === 'done'));
    const customers = await select<{ customer_id: string }>(
      db.ds,
      "SELECT DISTINCT customer_id FROM events WHERE dedupe_key LIKE ? AND type = 'oa.message.text'",
      [`oa:${app.appId}:msg:700%`],
    );
    expect(customers).toHaveLength(2);
  });
});
