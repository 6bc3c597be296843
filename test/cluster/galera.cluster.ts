import { Writable } from 'stream';
import mysql2 from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { LocalCluster } from '../../bench/cluster/local-cluster';
import { ApiKeyService } from '../../src/auth/api-key.service';
import type { Job } from '../../src/jobs/job';
import { JobScheduler, type JobOutcome } from '../../src/jobs/scheduler';
import { createLogger } from '../../src/logger';
import { startGateway, type RunningGateway } from '../../src/server';
import { openDatabase } from '../../src/storage/data-source';
import { select } from '../../src/storage/sql';
import { OA, oaText, type SignedCallback } from '../inbox/callback-support';
import { startWorld, waitFor, type World } from '../integration/callbacks-harness';

const GETTOKEN = 'qyapi.weixin.qq.com/cgi-bin/gettoken';
const DATABASE = 'siyu_cluster';

/** Error-level (50+) lines written by one gateway's logger. */
function errorLines(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line && Number((JSON.parse(line) as { level?: number }).level) >= 50) lines.push(line);
      done();
    },
  });
  return { stream, lines };
}

/**
 * Three MariaDB Galera nodes on loopback, a gateway on each, the emulator (DESIGN §3): tokens fetched once per
 * phase across the nodes (including after a 40014), each cron slot run once, an OA tag created once and each
 * follower tagged once, callbacks spread over the nodes
 * all processed with no error-level line, and a node killed with kill -9 under load: every acked callback
 * processed, no error-level line, its gateway unready while it is away and ready again once it rejoins.
 */
describe('three gateways on a three-node Galera cluster', () => {
  const cluster = new LocalCluster({ basePort: Number(process.env.CLUSTER_BASE_PORT ?? 23406) });
  let world: World;
  let ds: DataSource;
  const gateways: RunningGateway[] = [];
  const logs: ReturnType<typeof errorLines>[] = [];
  let corpId: string;
  let staff: string;

  beforeAll(async () => {
    // Nodes left behind by an interrupted earlier run on these ports are ended first.
    await cluster.stop();
    await cluster.start();
    const admin = await mysql2.createConnection({ host: '127.0.0.1', port: cluster.nodes[0]!.port, user: 'root' });
    await admin.query(`CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    // The schema is migrated once, from one node (README "Scale out"); the gateways start with migrate off.
    ds = await openDatabase({ url: cluster.nodes[0]!.url(DATABASE), poolSize: 4 }, { migrate: true });
    world = await startWorld(cluster.nodes[0]!.url(DATABASE));
    corpId = world.apps.corps[0]!.corpId;
    staff = world.emulator.state.world.corp(corpId)!.staff.find((s) => s.contactFeature)!.userid;
    for (const node of cluster.nodes) {
      const log = errorLines();
      logs.push(log);
      const config = {
        ...world.config,
        accounts: [...world.config.accounts, OA] as typeof world.config.accounts,
        database: { ...world.config.database, url: node.url(DATABASE), poolSize: 6 },
      };
      gateways.push(await startGateway(config, { port: 0, logger: createLogger('warn', log.stream) }));
    }
  }, 300_000);
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await world?.close();
    if (ds?.isInitialized) await ds.destroy();
    await cluster.stop();
  }, 120_000);

  const errors = () => logs.flatMap((l) => l.lines);
  const post = async (cb: SignedCallback): Promise<number> => {
    try {
      const res = await fetch(cb.url, { method: 'POST', headers: { 'content-type': cb.contentType }, body: cb.body });
      const text = await res.text();
      return res.status === 200 && text === 'success' ? 200 : res.status;
    } catch {
      return 0;
    }
  };
  /** Sends `ids` as OA text callbacks round-robin over the gateways, `width` at a time; the status of each. */
  const sendRoundRobin = async (ids: bigint[], width: number, onAck?: (n: number) => void) => {
    const statuses = new Map<bigint, number>();
    let next = 0;
    let acked = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < ids.length) {
          const i = next++;
          const id = ids[i]!;
          const status = await post(oaText(gateways[i % gateways.length]!.url, `oCluster${i % 50}`, id));
          statuses.set(id, status);
          if (status === 200) onAck?.(++acked);
        }
      }),
    );
    return statuses;
  };
  const processed = async (ids: bigint[]): Promise<boolean> => {
    const rows = await select<{ dedupe_key: string; status: string }>(
      ds,
      "SELECT dedupe_key, status FROM inbox WHERE dedupe_key LIKE '%msg%'",
    );
    const done = new Set(rows.filter((r) => r.status === 'done').map((r) => r.dedupe_key.split(':').pop()));
    return ids.every((id) => done.has(String(id)));
  };

  it('fetches the WeCom token once across the nodes, and once again after WeChat rejects it (40014)', async () => {
    const newContacts = async (n: number): Promise<string[]> => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++)
        ids.push(
          (await world.control(`/wecom/${corpId}/contacts`, { followers: [{ userid: staff }] }))
            .externalUserId as string,
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
    const settled = async (subjects: string[]) => {
      const marks = subjects.map(() => '?').join(', ');
      const rows = await select<{ status: string }>(
        ds,
        `SELECT status FROM refresh_queue WHERE kind = 'wecom_contact' AND subject IN (${marks})`,
        subjects,
      );
      return rows.length === subjects.length && rows.every((r) => r.status === 'done' || r.status === 'failed')
        ? rows
        : undefined;
    };
    const gettokens = async () =>
      (await world.control<{ counters: Record<string, { calls: number }> }>('/counters')).counters[GETTOKEN]?.calls ??
      0;

    await world.control('/counters', undefined, 'DELETE');
    const warm = await newContacts(9);
    await Promise.all(warm.map((ext, i) => edit(ext, i)));
    expect((await waitFor(() => settled(warm))).map((r) => r.status)).toEqual(warm.map(() => 'done'));
    expect(await gettokens()).toBe(1);

    const subjects = await newContacts(30);
    await world.control('/counters', undefined, 'DELETE');
    await world.control(`/wecom/${corpId}/tokens/invalidate`, { mode: 'invalid', app: 'contact' });
    const deliveries = await Promise.all(subjects.map((ext, i) => edit(ext, i)));
    expect(deliveries.every((d) => d.delivery.delivered === true)).toBe(true);
    expect((await waitFor(() => settled(subjects))).filter((r) => r.status !== 'done')).toEqual([]);
    expect(await gettokens()).toBe(1);
    expect(await select(ds, 'SELECT name FROM leases WHERE holder IS NOT NULL')).toEqual([]);
    expect(errors()).toEqual([]);
  });

  it('runs each cron slot once when every node fires it', async () => {
    const runs = new Map<string, number>();
    const job: Job = {
      name: 'cluster-probe',
      schedule: '0 0 1 1 *',
      run: async ({ slot }) => {
        runs.set(slot, (runs.get(slot) ?? 0) + 1);
      },
    };
    const schedulers = gateways.map((g) => new JobScheduler(g.app, [job]));
    const outcomes: JobOutcome[] = [];
    for (let s = 0; s < 10; s++) {
      const date = new Date(Date.UTC(2030, 0, 1, 0, s));
      outcomes.push(...(await Promise.all(schedulers.map((sch) => sch.trigger(job.name, date)))));
    }
    await Promise.all(schedulers.map((sch) => sch.stop()));
    expect([...runs.values()]).toEqual(Array.from({ length: 10 }, () => 1));
    expect(outcomes.filter((o) => o === 'ran')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'failed')).toEqual([]);
    expect(errors()).toEqual([]);
  });

  it('creates an OA tag once and tags each follower once when all three nodes push', async () => {
    const appId = world.apps.officialAccounts[0]!.appId;
    expect((await (await gateways[0]!.app.syncs.start(appId, 'followers')).done).status).toBe('done');
    const followers = await select<{ customer_id: string; openid: string }>(
      ds,
      'SELECT customer_id, openid FROM oa_subscriptions WHERE app_id = ? AND subscribed = 1 ORDER BY openid',
      [appId],
    );
    expect(followers.length).toBeGreaterThanOrEqual(10);
    const key = (await new ApiKeyService(ds).create('cluster-operator', 'operator')).key;
    const api = async (g: RunningGateway, path: string, json?: unknown) => {
      const res = await fetch(`${g.url}/api/v1${path}`, {
        method: json === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      return { status: res.status, body: (await res.json()) as { id?: string } };
    };
    // The key was written through node 1; each node answers with it once the write has reached it.
    for (const g of gateways) await waitFor(async () => (await api(g, '/tags')).status === 200 || undefined);
    await world.control('/requests', undefined, 'DELETE');
    const created = await api(gateways[0]!, '/tags', { name: '集群会员', bindings: [{ channel: 'oa', appId }] });
    expect(created.status).toBe(201);
    // Assignments written through every node, so every node's pusher finds work.
    const parts = gateways.map((_, i) => followers.filter((_, j) => j % gateways.length === i));
    const assigned = await Promise.all(
      parts.map((part, i) =>
        api(gateways[i]!, `/tags/${created.body.id}/assign`, { customerIds: part.map((f) => f.customer_id) }),
      ),
    );
    expect(assigned.map((a) => a.status)).toEqual(gateways.map(() => 200));
    const outbox = () =>
      select<{ status: string }>(ds, 'SELECT status FROM outbox WHERE tag_id = ?', [created.body.id]);
    const settled = await waitFor(async () => {
      const rows = await outbox();
      return rows.length > 0 && rows.every((r) => r.status !== 'pending' && r.status !== 'in_flight')
        ? rows
        : undefined;
    }, 120_000);
    expect(settled.filter((r) => r.status !== 'done')).toEqual([]);

    const calls = async (path: string) =>
      (
        await world.control<{ requests: { path: string; body: unknown; errcode?: number }[] }>(
          `/requests?path=${encodeURIComponent(path)}`,
        )
      ).requests;
    expect(await calls('/cgi-bin/tags/create')).toHaveLength(1);
    const pushed = (await calls('/cgi-bin/tags/members/batchtagging'))
      .filter((r) => !r.errcode)
      .flatMap((r) => (r.body as { openid_list: string[] }).openid_list);
    expect(pushed.sort()).toEqual(followers.map((f) => f.openid).sort());
    expect(errors()).toEqual([]);
  });

  it('processes every callback sent round-robin to the three nodes, with no error-level line', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => 10_000n + BigInt(i));
    const statuses = await sendRoundRobin(ids, 24);
    expect([...statuses.values()].filter((s) => s !== 200)).toEqual([]);
    await waitFor(() => processed(ids), 180_000);
    const [count] = await select<{ n: unknown }>(ds, "SELECT COUNT(*) AS n FROM inbox WHERE dedupe_key LIKE '%msg%'");
    expect(Number(count!.n)).toBe(ids.length);
    expect(errors()).toEqual([]);
  });

  it('loses no acked callback and logs no error when a node is killed under load; its gateway is ready again after it rejoins', async () => {
    const victim = cluster.nodes[2]!;
    const g3 = gateways[2]!;
    const readyz = async () => (await fetch(`${g3.url}/readyz`)).status;
    const ids = Array.from({ length: 750 }, (_, i) => 50_000n + BigInt(i));
    let killed: Promise<void> | undefined;
    const statuses = await sendRoundRobin(ids, 24, (acked) => {
      if (acked === 150)
        killed = (async () => {
          cluster.kill(victim);
          await waitFor(async () => (await readyz()) === 503, 60_000);
        })();
    });
    await killed;
    const acked = ids.filter((id) => statuses.get(id) === 200);
    expect(acked.length).toBeGreaterThan(450);
    expect([...statuses.values()].filter((s) => s !== 200 && s !== 503 && s !== 0)).toEqual([]);

    await cluster.restart(victim);
    const back = Date.now();
    await waitFor(async () => (await readyz()) === 200, 60_000);
    expect(Date.now() - back).toBeLessThan(10_000);
    await waitFor(() => processed(acked), 180_000);
    // The node's absence is a warning on its gateway (503s, workers waiting), not an error line.
    expect(errors()).toEqual([]);
  });
});
