import { NodeReadiness } from '../../src/health/node-readiness';
import { silentLogger } from '../../src/logger';
import { readNodeState, type NodeState } from '../../src/storage/node-state';
import { select } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { OA, oaText, post } from '../inbox/callback-support';

/** A node whose state the test sets, counting how often it is asked. */
function fakeNode(initial: NodeState | Error) {
  const node = { answer: initial, reads: 0 };
  const read = async (): Promise<NodeState> => {
    node.reads++;
    if (node.answer instanceof Error) throw node.answer;
    return node.answer;
  };
  return { node, read };
}

const SYNCED: NodeState = { synced: true, state: 'Synced' };
const DONOR: NodeState = { synced: false, state: 'Donor/Desynced' };

describe('NodeReadiness (is the database node in the cluster)', () => {
  const db = useTestDatabase();

  it('asks the node once for any number of checks within its cache time, then again', async () => {
    const { node, read } = fakeNode(SYNCED);
    let clock = 0;
    const readiness = new NodeReadiness({ ds: db.ds, logger: silentLogger() }, { read, clock: () => clock });
    const answers = await Promise.all(Array.from({ length: 200 }, () => readiness.check()));
    expect(answers.every((a) => a.synced)).toBe(true);
    expect(node.reads).toBe(1);
    clock = 999;
    await readiness.check();
    expect(node.reads).toBe(1);
    node.answer = DONOR;
    clock = 1_000;
    expect(await readiness.check()).toMatchObject({ synced: false, state: 'Donor/Desynced' });
    expect(node.reads).toBe(2);
  });

  it('counts a lost connection and a check that does not answer as not synced', async () => {
    const lost = fakeNode(new Error('Connection lost: The server closed the connection.'));
    let clock = 0;
    const a = new NodeReadiness({ ds: db.ds, logger: silentLogger() }, { read: lost.read, clock: () => clock });
    expect(await a.check()).toMatchObject({ synced: false, reason: expect.stringContaining('Connection lost') });
    const hung = new NodeReadiness(
      { ds: db.ds, logger: silentLogger() },
      { read: () => new Promise<NodeState>(() => undefined), timeoutMs: 20 },
    );
    expect(await hung.check()).toMatchObject({ synced: false, reason: expect.stringContaining('no answer') });
    lost.node.answer = SYNCED;
    clock = 5_000;
    expect(await a.check()).toEqual({ synced: true, state: 'Synced' });
  });

  it("reads this test server's own state: synced, and no Galera state off a cluster", async () => {
    const state = await readNodeState(db.ds);
    expect(state.synced).toBe(true);
    if (state.state !== null) expect(state.state).toBe('Synced');
  });
});

describe('a gateway whose database node leaves the cluster', () => {
  const db = useTestDatabase();
  let t: TestApp;
  const { node, read } = fakeNode(SYNCED);
  let clock = 0;

  beforeAll(async () => {
    t = await startTestApp(db.ds, testConfig(db.url, { accounts: [OA] }));
    t.app.readiness = new NodeReadiness(t.app, { read, clock: () => clock });
  });
  afterAll(async () => t.close());

  it('fails /readyz and answers callbacks 503 while not synced, and is ready again without a restart', async () => {
    expect((await t.request('/readyz')).status).toBe(200);

    node.answer = DONOR;
    clock += 1_000;
    const unready = await t.request('/readyz');
    expect(unready.status).toBe(503);
    expect(unready.body).toMatchObject({ status: 'not ready', checks: { database: false }, node: 'Donor/Desynced' });
    const refused = await post(oaText(t.url, 'oAway', 7001n));
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.text).error.code).toBe('NODE_NOT_SYNCED');
    expect(await select(db.ds, 'SELECT id FROM inbox')).toHaveLength(0);

    node.answer = new Error('connect ECONNREFUSED 127.0.0.1:3306');
    clock += 1_000;
    expect((await t.request('/readyz')).status).toBe(503);

    node.answer = SYNCED;
    clock += 1_000;
    expect((await t.request('/readyz')).body).toEqual({
      status: 'ready',
      checks: { database: true, migrations: true },
      node: 'Synced',
    });
    expect(await post(oaText(t.url, 'oAway', 7001n))).toEqual({ status: 200, text: 'success' });
    expect(await select(db.ds, 'SELECT id FROM inbox')).toHaveLength(1);
  });
});
