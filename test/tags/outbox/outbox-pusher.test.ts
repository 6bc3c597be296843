import { WechatApiError } from '../../../connectors/common/http/wechat-api-error';
import type { OfficialAccountClient } from '../../../connectors/official-account/client';
import { silentLogger } from '../../../src/logger';
import { uuidv7 } from '../../../src/storage/ids';
import { insertIgnore, select } from '../../../src/storage/sql';
import { OutboxPusher } from '../../../src/tags/outbox/outbox-pusher';
import type { OaPayload } from '../../../src/tags/outbox/outbox-types';
import { OutboxWriter } from '../../../src/tags/outbox/outbox-writer';
import { recordPushed, statesOf } from '../../../src/storage/tags/remote-tag-state.repository';
import type { Clients } from '../../../src/tokens/clients';
import { useTestDatabase } from '../../helpers/describe-db';
import { testConfig } from '../../helpers/test-app';

const now = new Date('2026-03-01T00:00:00.000Z');
const REMOTE_TAG = 100;

type Batch = (openids: readonly string[], tagId: number) => Promise<void>;

/**
 * A fake WeChat for the pusher: the OA tag member calls, recorded and answered by `answer`. The pusher reaches
 * WeChat only through `clients.oa(appId).tags` here (the binding is already bound, so nothing creates tags).
 */
function fakeWechat(answer: (op: 'tag' | 'untag', openids: readonly string[]) => void) {
  const calls: { op: 'tag' | 'untag'; openids: string[] }[] = [];
  const member =
    (op: 'tag' | 'untag'): Batch =>
    async (openids, tagId) => {
      expect(tagId).toBe(REMOTE_TAG);
      calls.push({ op, openids: [...openids] });
      answer(op, openids);
    };
  const tags = { batchTagging: member('tag'), batchUntagging: member('untag') };
  const oa = { tags } as unknown as OfficialAccountClient;
  const clients = { oa: () => oa } as unknown as Clients;
  return { calls, clients };
}

const refused = (errcode: number, category: WechatApiError['category'], retryAfterSeconds?: number) =>
  new WechatApiError({
    api: 'tags/members/batchtagging',
    errcode,
    errmsg: 'refused',
    category,
    retryable: false,
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  });

describe('OutboxPusher against a fake WeChat', () => {
  const db = useTestDatabase();
  const customers = Array.from({ length: 60 }, (_, i) => ({ id: uuidv7(), openid: `o${String(i).padStart(2, '0')}` }));
  const openids = customers.map((c) => c.openid);
  const writer = new OutboxWriter('all');

  beforeAll(async () => {
    const at = '2026-01-01 00:00:00.000';
    await insertIgnore(
      db.ds,
      'customers',
      customers.map((c) => ({ id: c.id, status: 'active', created_at: now, updated_at: now })),
    );
    await insertIgnore(
      db.ds,
      'identities',
      customers.map((c) => ({
        customer_id: c.id,
        type: 'oa_openid',
        scope: 'wxA',
        value: c.openid,
        verified: false,
        created_at: now,
        updated_at: now,
      })),
    );
    await db.ds.query(
      `INSERT INTO tags (id, name, group_id, created_at, updated_at) VALUES (1, 'vip', 0, '${at}', '${at}')`,
    );
    await db.ds.query(
      `INSERT INTO tag_bindings (tag_id, channel, account, remote_tag_id, remote_name, status, created_at, updated_at) VALUES (1, 'oa', 'wxA', '${REMOTE_TAG}', 'vip', 'bound', '${at}', '${at}')`,
    );
    await insertIgnore(
      db.ds,
      'customer_tags',
      customers.map((c) => ({ customer_id: c.id, tag_id: 1, source: 'manual', created_at: now })),
    );
  });

  /** Starts each case from the same queue: all 60 customers want the tag, nothing is on WeChat yet. */
  beforeEach(async () => {
    await db.ds.query('DELETE FROM outbox');
    await db.ds.query('DELETE FROM remote_tag_state');
    const counts = await writer.enqueueCustomers(
      db.ds,
      '1',
      customers.map((c) => c.id),
      now,
    );
    expect(counts.oaAdds).toBe(60);
  });

  const pusher = (clients: Clients, opts: { concurrencyPerAccount?: number } = {}) =>
    new OutboxPusher(
      { ds: db.ds, config: testConfig(db.url), logger: silentLogger(), now: () => now.getTime() },
      { clients, owner: 'p1', random: () => 0.5, ...opts },
    );
  const outbox = async () =>
    (
      await select(db.ds, 'SELECT status, attempts, last_errcode, payload, locked_by FROM outbox ORDER BY status, id')
    ).map((r) => ({
      status: String(r.status),
      attempts: Number(r.attempts),
      errcode: r.last_errcode === null ? null : Number(r.last_errcode),
      openids: (JSON.parse(String(r.payload)) as OaPayload).openids.length,
      lockedBy: r.locked_by ?? null,
    }));

  it('pushes the queue as batches of at most 50 openids, one call per row', async () => {
    const { calls, clients } = fakeWechat(() => undefined);
    const stats = await pusher(clients).drain();
    expect(calls.map((c) => c.openids.length).sort((a, b) => b - a)).toEqual([50, 10]);
    expect(new Set(calls.flatMap((c) => c.openids))).toEqual(new Set(openids));
    expect(stats).toMatchObject({ calls: 2, rowsDone: 2, itemsPushed: 60, retries: 0, rowsDead: 0 });
    expect(await outbox()).toEqual([
      { status: 'done', attempts: 1, errcode: null, openids: 50, lockedBy: null },
      { status: 'done', attempts: 1, errcode: null, openids: 10, lockedBy: null },
    ]);
    const states = await statesOf(db.ds, 'oa', 'wxA', openids, String(REMOTE_TAG));
    expect(states.filter((s) => s.present)).toHaveLength(60);
  });

  it('splits an openid WeChat refuses for good into its own dead row and completes the rest', async () => {
    const { calls, clients } = fakeWechat((_, ids) => {
      if (ids.includes('o07')) throw refused(45059, 'SUBJECT_REFUSED');
    });
    const stats = await pusher(clients).drain();
    expect(stats).toMatchObject({ rowsDone: 2, rowsDead: 1, itemsPushed: 59 });
    expect(stats.calls).toBe(calls.length);
    expect(await outbox()).toEqual([
      { status: 'dead', attempts: 0, errcode: 45059, openids: 1, lockedBy: null },
      { status: 'done', attempts: 1, errcode: null, openids: 50, lockedBy: null },
      { status: 'done', attempts: 1, errcode: null, openids: 10, lockedBy: null },
    ]);
    const [o07] = await statesOf(db.ds, 'oa', 'wxA', ['o07'], String(REMOTE_TAG));
    expect(o07).toMatchObject({ present: false, lastErrcode: 45059 });
  });

  it('puts rows back with a backoff on a temporary failure, keeping every openid', async () => {
    const { clients } = fakeWechat(() => {
      throw refused(-1, 'TEMPORARY');
    });
    const stats = await pusher(clients).drain();
    expect(stats).toMatchObject({ calls: 2, retries: 2, rowsDone: 0, rowsDead: 0 });
    expect(await outbox()).toEqual([
      { status: 'pending', attempts: 1, errcode: -1, openids: 50, lockedBy: null },
      { status: 'pending', attempts: 1, errcode: -1, openids: 10, lockedBy: null },
    ]);
    const due = await select(
      db.ds,
      "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?",
      [now],
    );
    expect(Number(due[0]!.n)).toBe(0);
  });

  it('stops calling an account a per-minute quota blocked: the other row waits unattempted', async () => {
    const { calls, clients } = fakeWechat(() => {
      throw refused(45009, 'RATE_LIMITED', 60);
    });
    const stats = await pusher(clients, { concurrencyPerAccount: 1 }).drain();
    expect(calls).toHaveLength(1);
    expect(stats).toMatchObject({ calls: 1, retries: 1, deferred: 1, rowsDone: 0 });
    expect((await outbox()).map((r) => [r.status, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 0],
    ]);
  });

  it('makes no call for rows WeChat already holds as desired', async () => {
    await recordPushed(
      db.ds,
      'oa',
      'wxA',
      customers.map((c) => ({ subject: c.openid, remoteTagId: String(REMOTE_TAG), customerId: c.id, present: true })),
      now,
    );
    const { calls, clients } = fakeWechat(() => undefined);
    const stats = await pusher(clients).drain();
    expect(calls).toEqual([]);
    expect(stats).toMatchObject({ calls: 0, rowsDone: 2, rowsSkipped: 2 });
  });
});
