import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConfigError, loadConfig } from '../../config';
import type { IdentityRef } from '../../connectors/common/identity-types';
import { main, type CliIo } from '../../src/cli/main';
import { SessionTokens } from '../../src/auth/session-token';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { openDatabase } from '../../src/storage/data-source';
import { startTestApp, type TestApp } from '../helpers/test-app';

const APP = 'wxkeys000000000001';
const oa = (v: string): IdentityRef => ({ type: 'oa_openid', scope: APP, value: v });

/** A config as an operator writes it for the embedded default: no keys at all. */
const keyless = (url: string) =>
  loadConfig({
    env: {},
    overrides: {
      database: { url, migrate: false },
      log: { level: 'silent' },
      jobs: { enabled: false },
      accounts: [{ kind: 'official-account', appId: APP, appSecret: 's', token: 't' }],
    },
  });

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('keys of the embedded default (DESIGN §12)', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'siyu-keys-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('generates the data key and session secret once, beside the SQLite file, readable by the owner only', () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, 'data', 'siyu.db')}`;
    const first = keyless(url);
    const file = join(dir, 'data', 'siyu.keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.security.dataKeyIsEphemeral).toBe(false);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(Buffer.from(stored.dataKey, 'hex').equals(first.security.dataKey)).toBe(true);
    expect(stored.sessionSecret).toBe(first.security.sessionSecret);

    const second = keyless(url);
    expect(second.security.dataKey.equals(first.security.dataKey)).toBe(true);
    expect(second.security.sessionSecret).toBe(first.security.sessionSecret);
    // A database file of another name in the same folder has keys of its own.
    expect(keyless(`sqlite:${join(dir, 'data', 'other.db')}`).security.dataKey.equals(first.security.dataKey)).toBe(
      false,
    );
  });

  it('uses configured keys over generated ones, and tightens a keys file others can read', () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, 'siyu.db')}`;
    const generated = keyless(url);
    const file = join(dir, 'siyu.keys.json');
    chmodSync(file, 0o644);
    const configured = loadConfig({
      env: {},
      overrides: { database: { url }, security: { dataKey: 'ab'.repeat(32) } },
    });
    expect(configured.security.dataKey.toString('hex')).toBe('ab'.repeat(32));
    expect(configured.security.sessionSecret).toBe(generated.security.sessionSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a damaged keys file instead of replacing it', () => {
    const dir = tempDir();
    const file = join(dir, 'siyu.keys.json');
    writeFileSync(file, '{"dataKey": "short"}', { mode: 0o600 });
    const problems = problemsOf(() => keyless(`sqlite:${join(dir, 'siyu.db')}`));
    expect(problems).toEqual([
      expect.stringMatching(/^security\.dataKey: .*siyu\.keys\.json is not a valid keys file/),
    ]);
    expect(readFileSync(file, 'utf8')).toBe('{"dataKey": "short"}');
  });

  it('keeps throwaway keys for an in-memory database', () => {
    expect(keyless('sqlite::memory:').security.dataKeyIsEphemeral).toBe(true);
    expect(keyless('sqlite::memory:').security.dataKey.equals(keyless('sqlite::memory:').security.dataKey)).toBe(false);
  });

  it('refuses MySQL without a data key, and `siyu serve` exits 1 saying so', async () => {
    const problems = problemsOf(() => loadConfig({ env: { DATABASE_URL: 'mysql://root:@127.0.0.1:3306/siyu' } }));
    expect(problems).toEqual([expect.stringMatching(/^security\.dataKey: is required with a MySQL database/)]);
    const io: CliIo & { stderr: string } = { stderr: '', out: () => undefined, err: (t) => void (io.stderr += t) };
    const saved = { DATABASE_URL: process.env.DATABASE_URL, SIYU_CONFIG: process.env.SIYU_CONFIG };
    process.env.DATABASE_URL = 'mysql://root:@127.0.0.1:3306/siyu_never_opened';
    delete process.env.SIYU_CONFIG;
    try {
      expect(await main(['serve'], io)).toBe(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(io.stderr).toMatch(/security\.dataKey: is required with a MySQL database/);
    expect(io.stderr).not.toMatch(/at .*\.ts:\d+/);
    const fromEnv = loadConfig({
      env: {
        DATABASE_URL: 'mysql://root:@127.0.0.1:3306/siyu',
        SIYU_DATA_KEY: 'ef'.repeat(32),
        SIYU_SESSION_SECRET: 'shared',
      },
    });
    expect(fromEnv.security).toEqual({
      dataKey: Buffer.from('ef'.repeat(32), 'hex'),
      sessionSecret: 'shared',
      dataKeyIsEphemeral: false,
    });
  });

  it('gives instances that share a MySQL data key one session secret, so a session signed on one is valid on the others', () => {
    const env = { DATABASE_URL: 'mysql://root:@127.0.0.1:3306/siyu', SIYU_DATA_KEY: 'ab'.repeat(32) };
    const [a, b] = [loadConfig({ env }), loadConfig({ env })];
    expect(a.security.sessionSecret).toBe(b.security.sessionSecret);
    expect(a.security.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(a.security.sessionSecret).not.toContain('ab'.repeat(32));
    const token = new SessionTokens(a.security.sessionSecret).sign('staff', { userid: 'u1' }, 600);
    expect(new SessionTokens(b.security.sessionSecret).verify('staff', token)).toMatchObject({ userid: 'u1' });
    const other = loadConfig({ env: { ...env, SIYU_DATA_KEY: 'cd'.repeat(32) } });
    expect(other.security.sessionSecret).not.toBe(a.security.sessionSecret);
  });

  describe('across a restart', () => {
    let t: TestApp | undefined;
    afterEach(async () => {
      await t?.close();
      if (t?.app.ds.isInitialized) await t.app.ds.destroy();
      t = undefined;
    });
    const start = async (url: string): Promise<TestApp> => {
      const ds = await openDatabase({ url }, { migrate: true });
      t = await startTestApp(ds, keyless(url));
      return t;
    };
    const restart = async (url: string): Promise<TestApp> => {
      await t!.close();
      await t!.app.ds.destroy();
      t = undefined;
      return start(url);
    };

    it('still finds a customer by phone, still drops an erased person, still accepts its sessions', async () => {
      const url = `sqlite:${join(tempDir(), 'siyu.db')}`;
      const before = await start(url);
      const resolve = (app: TestApp, identities: IdentityRef[]) =>
        retryingTransaction(app.app.ds, (em) =>
          app.app.identity.resolve(em, { identities, source: 'mp.phone', verified: true }),
        );
      const kept = (await resolve(before, [oa('o-keep'), { type: 'phone', scope: 'default', value: '13812340000' }]))
        .customerId!;
      const gone = (await resolve(before, [oa('o-gone')])).customerId!;
      const admin = await before.key('admin');
      expect((await before.request(`/api/v1/customers/${gone}`, { method: 'DELETE', key: admin })).status).toBe(200);
      const session = before.app.sessionTokens.sign('staff', { userid: 'u1' }, 600);

      const after = await restart(url);
      const found = await after.request('/api/v1/customers/lookup?type=phone&value=13812340000', { key: admin });
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ id: kept, phone: '13812340000' });
      expect(await resolve(after, [oa('o-gone')])).toMatchObject({ customerId: null, erased: true });
      expect(after.app.sessionTokens.verify('staff', session)).toMatchObject({ userid: 'u1' });
    });
  });
});
