import type { RunningGateway } from '../../src/server';
import { select } from '../../src/storage/sql';
import { testDialect, useTestDatabase } from '../helpers/describe-db';
import { gateway, startWorld, waitFor, type World } from './callbacks-harness';

const GETTOKEN = 'qyapi.weixin.qq.com/cgi-bin/gettoken';

interface Recorded {
  seq: number;
  path: string;
  query: Record<string, string>;
  at: number;
  durationMs: number;
  errcode?: number;
}

/**
 * A WeCom token rejected (40014) while callbacks arrive at several gateways sharing one database (DESIGN §3,
 * §6): three instances on MySQL, one on SQLite (single instance by design). Each edit_external_contact callback
 * queues a re-read (externalcontact/get); the re-reads run on whichever instance claims them.
 */
describe('a rejected token with several instances', () => {
  const db = useTestDatabase();
  const instances = testDialect === 'mysql' ? 3 : 1;
  let world: World;
  const gateways: RunningGateway[] = [];
  let corpId: string;
  let staff: string;

  beforeAll(async () => {
    world = await startWorld(db.url);
    corpId = world.apps.corps[0]!.corpId;
    staff = world.emulator.state.world.corp(corpId)!.staff.find((s) => s.contactFeature)!.userid;
    // A small pool: a design that parks connections in lock waits would run out of them here.
    const config = { ...world.config, database: { ...world.config.database, poolSize: 4 } };
    for (let i = 0; i < instances; i++) gateways.push(await gateway(config));
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await world.close();
  });

  const newContacts = async (n: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        (await world.control(`/wecom/${corpId}/contacts`, { followers: [{ userid: staff }] })).externalUserId as string,
      );
    return ids;
  };
  const edit = (externalUserId: string, i: number) =>
    world.control(`/callbacks/wecom/${corpId}/external-contact`, {
      changeType: 'edit_external_contact',
      userId: staff,
      externalUserId,
      url: `${gateways[i % gateways.length]!.url}/wechat/wecom/${corpId}`,
    });
  const reads = async (subjects: string[]) => {
    const marks = subjects.map(() => '?').join(', ');
    return select<{ subject: string; status: string; last_error: string | null }>(
      db.ds,
      `SELECT subject, status, last_error FROM refresh_queue WHERE kind = 'wecom_contact' AND subject IN (${marks})`,
      subjects,
    );
  };
  const settled = async (subjects: string[]) => {
    const rows = await reads(subjects);
    return rows.length === subjects.length && rows.every((r) => r.status === 'done' || r.status === 'failed')
      ? rows
      : undefined;
  };
  const recorded = async (since: number): Promise<Recorded[]> =>
    (await world.control<{ requests: Recorded[] }>(`/requests?since=${since}&limit=100000`)).requests;

  /** Samples the server's sessions while the burst runs: a GET_LOCK wait is a parked pooled connection. */
  const lockWaitSampler = () => {
    let stop = false;
    let worst = 0;
    const loop = (async () => {
      while (!stop) {
        const rows = await select<{ n: unknown }>(
          db.ds,
          "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND (state = 'User lock' OR info LIKE CONCAT('%GET', '\\_LOCK%'))",
        );
        worst = Math.max(worst, Number(rows[0]?.n ?? 0));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    return {
      finish: async () => {
        stop = true;
        await loop;
        return worst;
      },
    };
  };

  it('one gettoken across the instances, every re-read done, each rejected caller on the new token within 2 s, no lock waits', async () => {
    // Warm-up: every instance reads once, so each holds the token in its cache and the row is shared.
    const warm = await newContacts(instances);
    await Promise.all(warm.map((ext, i) => edit(ext, i)));
    const warmRows = await waitFor(() => settled(warm), 60_000);
    expect(warmRows.map((r) => r.status)).toEqual(warm.map(() => 'done'));
    const [stored] = await select<{ value: string }>(
      db.ds,
      "SELECT value FROM access_tokens WHERE kind = 'wecom_access_token' AND token_key = 'contact'",
    );
    const oldToken = stored!.value;

    const subjects = await newContacts(30);
    await world.control('/counters', undefined, 'DELETE');
    const since = Math.max(0, ...(await recorded(0)).map((r) => r.seq));
    await world.control(`/wecom/${corpId}/tokens/invalidate`, { mode: 'invalid', app: 'contact' });
    const sampler = testDialect === 'mysql' ? lockWaitSampler() : undefined;
    const deliveries = await Promise.all(subjects.map((ext, i) => edit(ext, i)));
    expect(deliveries.every((d) => d.delivery.delivered === true)).toBe(true);
    const rows = await waitFor(() => settled(subjects), 90_000);
    const worstLockWaits = await sampler?.finish();

    expect(rows.filter((r) => r.status !== 'done')).toEqual([]);
    const counters = await world.control<{ counters: Record<string, { calls: number }> }>('/counters');
    expect(counters.counters[GETTOKEN]?.calls).toBe(1);

    const log = await recorded(since);
    const fetched = log.find((r) => r.path.endsWith('/gettoken'))!;
    const arrival = fetched.at + fetched.durationMs;
    const gets = log.filter((r) => r.path.endsWith('/externalcontact/get'));
    const newToken = (
      await select<{ value: string }>(
        db.ds,
        "SELECT value FROM access_tokens WHERE kind = 'wecom_access_token' AND token_key = 'contact'",
      )
    )[0]!.value;
    expect(newToken).not.toBe(oldToken);
    expect(gets.every((r) => r.query.access_token === oldToken || r.query.access_token === newToken)).toBe(true);
    // Every call the platform rejected is followed by the same read on the new token within 2 s of the later
    // of the new token's arrival and the rejection.
    const rejected = gets.filter((r) => r.errcode === 40014);
    expect(rejected.length).toBeGreaterThan(0);
    const late = rejected.filter((r) => {
      const retry = gets.find(
        (g) =>
          g.seq > r.seq && g.query.external_userid === r.query.external_userid && g.query.access_token === newToken,
      );
      return !retry || retry.at > Math.max(arrival, r.at + r.durationMs) + 2_000;
    });
    expect(late).toEqual([]);
    expect(gets.filter((r) => r.query.access_token === newToken && r.errcode !== undefined)).toEqual([]);
    expect(new Set(gets.filter((r) => r.errcode === undefined).map((r) => r.query.external_userid))).toEqual(
      new Set(subjects),
    );

    if (worstLockWaits !== undefined) expect(worstLockWaits).toBe(0);
    const held = await select<{ name: string }>(db.ds, 'SELECT name FROM leases WHERE holder IS NOT NULL');
    expect(held).toEqual([]);
  }, 180_000);
});
