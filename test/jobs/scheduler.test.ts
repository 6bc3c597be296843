import type { DataSource } from 'typeorm';
import { JobScheduler, jobsWorker, slotOf } from '../../src/jobs/scheduler';
import type { Job } from '../../src/jobs/job';
import { openDatabase } from '../../src/storage/data-source';
import { useTestDatabase } from '../helpers/describe-db';
import { testConfig } from '../helpers/test-app';
import { testServices } from '../syncs/sync-harness';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('JobScheduler', () => {
  const db = useTestDatabase();
  let other: DataSource;

  beforeAll(async () => {
    // A second connection pool on the same database stands in for a second gateway instance.
    other = await openDatabase({ url: db.url });
  });
  afterAll(async () => {
    await other.destroy();
  });

  const instances = (job: Job) => {
    const config = testConfig(db.url);
    return [
      new JobScheduler(testServices(db.ds, config), [job], 'instance-a'),
      new JobScheduler(testServices(other, config), [job], 'instance-b'),
    ] as const;
  };

  it('refuses an unknown job name', async () => {
    const [a] = instances({ name: 'x', schedule: '* * * * *', run: async () => undefined });
    await expect(a.trigger('nope')).rejects.toThrow('no job named nope');
  });

  it('two instances firing for the same slot run the job once', async () => {
    const runs: string[] = [];
    const job: Job = { name: 'same-slot', schedule: '0 3 * * *', run: async ({ slot }) => void runs.push(slot) };
    const [a, b] = instances(job);
    const at = new Date('2030-01-01T03:00:00.000Z');
    const outcomes = await Promise.all([a.trigger('same-slot', at), b.trigger('same-slot', at)]);
    expect(outcomes.sort()).toEqual(['ran', 'skipped']);
    // A timer that fires late, after the first run released the lock, still finds the slot taken.
    expect(await b.trigger('same-slot', new Date(at.getTime() + 400))).toBe('skipped');
    expect(runs).toEqual([slotOf(at)]);
    expect(await a.trigger('same-slot', new Date('2030-01-02T03:00:00.000Z'))).toBe('ran');
    expect(runs).toHaveLength(2);
    const rows = (await db.ds.query(
      "SELECT slot, status, instance FROM job_runs WHERE job = 'same-slot' ORDER BY slot",
    )) as { status: string }[];
    expect(rows.map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('never overlaps runs of one job: a new slot fired while a run is in progress is skipped', async () => {
    const hold = gate();
    let runs = 0;
    const job: Job = {
      name: 'long',
      schedule: '* * * * *',
      run: async () => {
        runs++;
        await hold.promise;
      },
    };
    const [a, b] = instances(job);
    const first = a.trigger('long', new Date('2030-01-01T00:00:00Z'));
    // The first run must hold its slot before the second instance fires: wait for it to start, however slow the machine.
    while (runs === 0) await new Promise((r) => setImmediate(r));
    expect(await b.trigger('long', new Date('2030-01-01T00:01:00Z'))).toBe('skipped');
    hold.open();
    expect(await first).toBe('ran');
    expect(runs).toBe(1);
  });

  it('records a failing run and aborts a run at its budget', async () => {
    const failing: Job = {
      name: 'failing',
      schedule: '* * * * *',
      run: async () => {
        throw new Error('boom');
      },
    };
    const [a] = instances(failing);
    expect(await a.trigger('failing', new Date('2030-01-01T00:00:00Z'))).toBe('failed');
    const [row] = (await db.ds.query("SELECT status, error FROM job_runs WHERE job = 'failing'")) as {
      status: string;
      error: string;
    }[];
    expect(row).toEqual({ status: 'failed', error: 'boom' });

    let aborted = false;
    const slow: Job = {
      name: 'slow',
      schedule: '* * * * *',
      budgetMs: 30,
      run: ({ signal }) =>
        new Promise<void>((resolve) => signal.addEventListener('abort', () => ((aborted = true), resolve()))),
    };
    const [s] = instances(slow);
    expect(await s.trigger('slow', new Date('2030-01-01T00:00:00Z'))).toBe('ran');
    expect(aborted).toBe(true);
  });

  it('node-cron timers on two instances: every fired second runs once', async () => {
    const slots: string[] = [];
    const job: Job = { name: 'every-second', schedule: '* * * * * *', run: async ({ slot }) => void slots.push(slot) };
    const [a, b] = instances(job);
    a.start();
    b.start();
    const deadline = Date.now() + 90_000;
    while (slots.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await Promise.all([a.stop(), b.stop()]);
    expect(slots.length).toBeGreaterThanOrEqual(2);
    expect(new Set(slots).size).toBe(slots.length);
    const rows = (await db.ds.query(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT slot) AS d FROM job_runs WHERE job = 'every-second'",
    )) as { n: unknown; d: unknown }[];
    expect(Number(rows[0]!.n)).toBe(Number(rows[0]!.d));
  });

  it('jobsWorker does nothing when jobs.enabled is off', () => {
    expect(jobsWorker(testServices(db.ds, testConfig(db.url, { jobs: { enabled: false } })))).toBeUndefined();
  });
});
