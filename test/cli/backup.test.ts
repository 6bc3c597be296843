import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig, type SiyuConfig } from '../../config';
import { parseArgs } from '../../src/cli/args';
import { backupCommand } from '../../src/cli/commands/backup.command';
import type { CliIo } from '../../src/cli/main';
import { openDatabase } from '../../src/storage/data-source';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { select } from '../../src/storage/sql';
import { startTestApp, TEST_DATA_KEY, type TestApp } from '../helpers/test-app';

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

/** The embedded default's config for an SQLite file: no data key named, so one is generated beside the file. */
const fileConfig = (file: string): SiyuConfig =>
  loadConfig({
    env: {},
    overrides: {
      database: { url: `sqlite:${file}`, migrate: false },
      log: { level: 'silent' },
      jobs: { enabled: false },
    },
  });

/**
 * `siyu backup` (DESIGN §12): a running gateway's SQLite database copied while it is being written, and a fresh
 * gateway started on the copy serving the same data, the generated data key travelling with it.
 */
describe('siyu backup', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'siyu-backup-'));
  const live = path.join(dir, 'siyu.db');
  const copy = path.join(dir, 'copy.db');
  let ds: DataSource;
  let t: TestApp;
  let restoredDs: DataSource | undefined;
  let restored: TestApp | undefined;
  let config: SiyuConfig;

  beforeAll(async () => {
    config = fileConfig(live);
    ds = await openDatabase({ url: `sqlite:${live}` }, { migrate: true });
    t = await startTestApp(ds, config);
  });
  afterAll(async () => {
    await restored?.close();
    await restoredDs?.destroy();
    await t.close();
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the database while the gateway writes, and a gateway started on the copy serves the data', async () => {
    const admin = await t.key('admin', 'Ada Admin');
    const api = (p: string, method = 'GET', json?: unknown) =>
      t.request(`/api/v1${p}`, { method, key: admin, ...(json === undefined ? {} : { json }) });
    expect(
      (
        await api('/attributes', 'POST', {
          key: 'idcard',
          label: { 'zh-CN': '身份证号', en: 'ID card' },
          type: 'text',
          pii: true,
        })
      ).status,
    ).toBe(201);
    const { customerId } = await retryingTransaction(ds, (em) =>
      t.app.identity.resolve(em, {
        identities: [{ type: 'oa_openid', scope: 'wxbackup00000001', value: 'o-backup-1' }],
        source: 'backup-test',
      }),
    );
    expect((await api(`/customers/${customerId}/attributes`, 'PATCH', { idcard: '110101199003071234' })).status).toBe(
      200,
    );
    expect((await api(`/customers/${customerId}/notes`, 'POST', { text: '备份前的记录' })).status).toBe(201);

    // The gateway keeps writing notes while the backup runs.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        expect((await api(`/customers/${customerId}/notes`, 'POST', { text: `并发 ${written}` })).status).toBe(201);
        written++;
      }
    })();
    const io = capture();
    let code: number;
    try {
      code = await backupCommand(parseArgs([copy]), io, () => config);
    } finally {
      writing = false;
      await writer;
    }
    expect({ code, stderr: io.stderr }).toEqual({ code: 0, stderr: '' });
    expect(io.stdout).toMatch(/backed up .*siyu\.db to .*copy\.db: \d+ pages/);
    expect(existsSync(`${copy}.partial`)).toBe(false);
    // The generated key travels with the copy, readable by its owner only.
    const keys = path.join(dir, 'copy.keys.json');
    expect(statSync(keys).mode & 0o777).toBe(0o600);
    expect(io.stdout).toContain('copy.keys.json');

    // A second backup to the same name is refused unless --force.
    const again = capture();
    expect(await backupCommand(parseArgs([copy]), again, () => config)).toBe(1);
    expect(again.stderr).toContain('already exists');

    // A fresh gateway on the copy: the same key file, the same API key, the same data, pii readable.
    restoredDs = await openDatabase({ url: `sqlite:${copy}` }, { migrate: true });
    restored = await startTestApp(restoredDs, fileConfig(copy));
    const profile = await restored.request(`/api/v1/customers/${customerId}`, { key: admin });
    expect(profile.status).toBe(200);
    expect(profile.body.attributes).toEqual({ idcard: '110101199003071234' });
    const notes = await restored.request(`/api/v1/customers/${customerId}/notes`, { key: admin });
    const texts = (notes.body.items as { text: string }[]).map((n) => n.text);
    expect(texts).toContain('备份前的记录');
    // A snapshot: every note in the copy was written in the live database, none half-written.
    const [inCopy] = await select<{ n: unknown }>(restoredDs, 'SELECT COUNT(*) AS n FROM customer_notes');
    const [inLive] = await select<{ n: unknown }>(ds, 'SELECT COUNT(*) AS n FROM customer_notes');
    expect(Number(inCopy!.n)).toBeGreaterThanOrEqual(1);
    expect(Number(inCopy!.n)).toBeLessThanOrEqual(Number(inLive!.n));
    expect(Number(inLive!.n)).toBe(written + 1);
  });

  it('replaces an existing backup with --force', async () => {
    const io = capture();
    expect(await backupCommand(parseArgs([path.join(dir, 'forced.db')]), io, () => config)).toBe(0);
    const forced = capture();
    expect(await backupCommand(parseArgs([path.join(dir, 'forced.db'), '--force']), forced, () => config)).toBe(0);
    expect(forced.stdout).toContain('backed up');
  });

  it('refuses MySQL with the mysqldump and mariabackup commands, never echoing the password', async () => {
    const mysql = loadConfig({
      env: {},
      overrides: {
        database: { url: 'mysql://siyu:s3cret@db.internal:3307/siyu_prod', migrate: false },
        security: { dataKey: TEST_DATA_KEY },
        log: { level: 'silent' },
      },
    });
    const io = capture();
    expect(await backupCommand(parseArgs([path.join(dir, 'x.sql')]), io, () => mysql)).toBe(1);
    expect(io.stderr).toContain(
      'mysqldump -h db.internal -P 3307 -u siyu -p --single-transaction --quick --hex-blob --routines --triggers siyu_prod',
    );
    expect(io.stderr).toContain('mariabackup --backup');
    expect(io.stderr).not.toContain('s3cret');
    expect(existsSync(path.join(dir, 'x.sql'))).toBe(false);
  });

  it('refuses an in-memory database, a missing file and a missing argument', async () => {
    const memory = loadConfig({
      env: {},
      overrides: { database: { url: 'sqlite::memory:' }, log: { level: 'silent' } },
    });
    const io = capture();
    expect(await backupCommand(parseArgs([path.join(dir, 'm.db')]), io, () => memory)).toBe(1);
    expect(io.stderr).toContain('in memory');
    const missing = capture();
    expect(
      await backupCommand(parseArgs([path.join(dir, 'n.db')]), missing, () =>
        fileConfig(path.join(dir, 'nowhere', 'x.db')),
      ),
    ).toBe(1);
    const usage = capture();
    expect(await backupCommand(parseArgs([]), usage, () => config)).toBe(2);
    expect(usage.stderr).toContain('usage: siyu backup <file>');
  });
});
