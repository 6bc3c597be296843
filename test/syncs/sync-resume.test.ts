import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { clearTables } from '../helpers/test-db';
import { useTestDatabase } from '../helpers/describe-db';
import { count, startSyncHarness, type SyncHarness } from './sync-harness';

const ROOT = path.resolve(__dirname, '../..');

/** Children not yet reaped: a test that fails before killing its child must not leave it running. */
const children = new Set<ChildProcess>();

/** Runs fixtures/sync-child.ts in its own process until it prints `hung` (inside an uncommitted batch). */
function startChild(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', './test/syncs/fixtures/swc-register.js', './test/syncs/fixtures/sync-child.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('hung')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code} before hanging: ${err}`)));
  });
}

describe('a killed sync resumes from its checkpoint', () => {
  const db = useTestDatabase();
  let h: SyncHarness;

  beforeAll(async () => {
    h = await startSyncHarness(db, { followers: 13_500, officialAccounts: 1, miniPrograms: 0, corps: 0 });
  });
  afterAll(async () => {
    await Promise.all(
      [...children].map((child) => new Promise((exited) => child.once('exit', exited).kill('SIGKILL'))),
    );
    await h.close();
  });
  beforeEach(async () => {
    await clearTables(db.ds);
  });

  // MySQL frees the dead session's GET_LOCK once it notices the closed connection: a start may need a moment.
  // The cap only turns a hang into a failure before jest's own timeout; a loaded machine may take many seconds.
  const start = async () => {
    const until = Date.now() + 90_000;
    for (;;) {
      try {
        return await h.rt.syncs.start(h.oa().id, 'followers');
      } catch (err) {
        if ((err as { code?: string }).code !== 'SYNC_RUNNING' || Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const killAfter = async (batches: number, windowPages: number) => {
    const child = await startChild({
      SYNC_DB_URL: db.url,
      SYNC_ACCOUNTS: JSON.stringify(h.config.accounts),
      HANG_AFTER_BATCHES: String(batches),
      WINDOW_PAGES: String(windowPages),
    });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  const expectAllOnce = async () => {
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM sync_runs')).toBe(1);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM oa_subscriptions WHERE subscribed = 1')).toBe(13_500);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM customers')).toBe(13_500);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM identities')).toBe(27_000);
    expect(
      await count(
        db.ds,
        'SELECT COUNT(*) AS n FROM (SELECT type, scope, value FROM identities GROUP BY type, scope, value HAVING COUNT(*) > 1) d',
      ),
    ).toBe(0);
  };

  it('SIGKILL inside page 2 leaves page 1 checkpointed; the next start resumes the same run without duplicates', async () => {
    await killAfter(12, 1);
    const [killed] = (await db.ds.query('SELECT id, status, processed, checkpoint FROM sync_runs')) as {
      id: unknown;
      status: string;
      processed: unknown;
      checkpoint: string;
    }[];
    expect(killed).toMatchObject({ status: 'running' });
    expect(Number(killed!.processed)).toBe(10_000);
    expect(JSON.parse(killed!.checkpoint)).toMatchObject({ listed: false });
    // Page 1 (10 batches) and two batches of page 2 were committed; the third batch died uncommitted.
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM oa_subscriptions')).toBe(12_000);

    const { run, done } = await start();
    expect(run.id).toBe(String(killed!.id));
    expect(await done).toMatchObject({ status: 'done', processed: 13_500, total: 13_500 });
    await expectAllOnce();
  });

  it('a run killed inside its first window of two pages (sorted together) has no checkpoint; the restart redoes the window without duplicates', async () => {
    await killAfter(12, 2);
    const [killed] = (await db.ds.query('SELECT id, status, processed, checkpoint FROM sync_runs')) as {
      id: unknown;
      status: string;
      processed: unknown;
      checkpoint: string | null;
    }[];
    expect(killed).toMatchObject({ status: 'running' });
    expect(Number(killed!.processed)).toBe(0);
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM oa_subscriptions')).toBe(12_000);
    const { run, done } = await start();
    expect(run.id).toBe(String(killed!.id));
    expect(await done).toMatchObject({ status: 'done', processed: 13_500, total: 13_500 });
    await expectAllOnce();
  });
});
