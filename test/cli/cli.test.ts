import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main, type CliIo } from '../../src/cli/main';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { parseDatabaseUrl } from '../../src/storage/database-url';
import { insertIgnore } from '../../src/storage/sql';

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const k of Object.keys(env)) {
    saved[k] = process.env[k];
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('siyu CLI', () => {
  it('exits 1 listing every config problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siyu-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'server: { port: "abc" }\naccounts:\n  - { kind: wecom, contactSecret: s, token: t, encodingAESKey: kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR }\n',
    );
    const io = capture();
    const code = await withEnv({ SIYU_CONFIG: file }, () => main(['migrate', 'status'], io));
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/server\.port: /);
    expect(io.stderr).toMatch(/accounts\.0\.corpId: /);
    expect(io.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('rejects unknown commands and bad arguments', async () => {
    const io = capture();
    expect(await main(['nope'], io)).toBe(2);
    expect(io.stderr).toMatch(/unknown command 'nope'/);
    expect(await main(['api-key', 'create', '--role', 'god', '--name', 'x'], io)).toBe(2);
    expect(await main(['migrate', 'sideways'], io)).toBe(2);
  });

  describe('with a database', () => {
    let db: TestDatabase;
    // MySQL refuses to start without a data key (DESIGN §12), so the commands get one from a config file.
    const configFile = join(mkdtempSync(join(tmpdir(), 'siyu-cli-')), 'siyu.yaml');
    writeFileSync(configFile, `security: { dataKey: "${'7c'.repeat(32)}" }\n`);
    beforeAll(async () => {
      db = await createTestDatabase({ migrate: false });
    });
    afterAll(() => db.drop());
    const run = (argv: string[]) => {
      const io = capture();
      return withEnv({ SIYU_CONFIG: configFile, DATABASE_URL: db.url, LOG_LEVEL: 'silent' }, () => main(argv, io)).then(
        (code) => ({ code, ...io }),
      );
    };

    it('migrates up, reports status, rolls back one and re-applies', async () => {
      expect((await run(['migrate', 'status'])).stdout).toMatch(/^pending: /);
      expect((await run(['migrate', 'up'])).stdout).toMatch(/^applied: /);
      expect((await run(['migrate', 'status'])).stdout).toBe('schema is up to date\n');
      expect((await run(['migrate', 'down'])).stdout).toMatch(/^reverted: /);
      expect((await run(['migrate', 'up'])).stdout).toMatch(/^applied: /);
    });

    it('adds operators (a password only from stdin, never echoed), lists and disables them', async () => {
      const withStdin = (argv: string[], stdin: string) => {
        const io = Object.assign(capture(), { readStdin: () => Promise.resolve(stdin) });
        return withEnv({ SIYU_CONFIG: configFile, DATABASE_URL: db.url, LOG_LEVEL: 'silent' }, () =>
          main(argv, io),
        ).then((code) => ({ code, stdout: io.stdout, stderr: io.stderr }));
      };
      const inArgv = await run(['operator', 'add', '--login', 'alice', '--role', 'admin', '--password', 's3cret-pass']);
      expect(inArgv.code).toBe(2);
      expect(inArgv.stderr).not.toContain('s3cret-pass');
      expect((await run(['operator', 'add', '--login', 'alice', '--role', 'admin'])).code).toBe(2);
      const added = await withStdin(
        ['operator', 'add', '--login', 'alice', '--role', 'admin', '--name', '爱丽丝', '--password-stdin'],
        'a long enough password\n',
      );
      expect(added.code).toBe(0);
      expect(added.stdout).toMatch(/^\d+\t爱丽丝\tadmin\tlogin alice\tenabled\tnever signed in\n$/);
      expect(added.stdout + added.stderr).not.toContain('a long enough password');
      const member = await run(['operator', 'add', '--corp', 'wwcorp', '--userid', 'bob', '--role', 'viewer']);
      expect(member.stdout).toMatch(/\tbob\tviewer\twwcorp\/bob\tenabled/);
      expect((await run(['operator', 'add', '--corp', 'wwcorp', '--userid', 'bob', '--role', 'viewer'])).code).toBe(1);
      const id = member.stdout.split('\t')[0]!;
      expect((await run(['operator', 'disable', id])).stdout).toMatch(/\tdisabled\t/);
      expect((await run(['operator', 'list'])).stdout.trim().split('\n')).toHaveLength(2);
    });

    it('creates an api key printed once, lists it and revokes it', async () => {
      const created = await run(['api-key', 'create', '--role', 'operator', '--name', 'ops']);
      expect(created.code).toBe(0);
      const key = created.stdout.trim();
      expect(key).toMatch(/^sy_/);
      const target = parseDatabaseUrl(db.url);
      const where =
        target.kind === 'sqlite'
          ? `sqlite database ${target.path}`
          : `mysql database ${target.database} on ${target.host}:${target.port}`;
      expect(created.stderr).toBe(`created api key #1 'ops' (operator) in the ${where}; it is shown only once\n`);
      if (target.kind === 'mysql' && target.password) expect(created.stderr).not.toContain(target.password);
      const svc = new ApiKeyService(db.ds);
      expect(await svc.authenticate(key)).toMatchObject({ name: 'ops', role: 'operator' });
      const list = await run(['api-key', 'list']);
      expect(list.stdout).toMatch(/\tops\toperator\t/);
      expect(list.stdout).not.toContain(key);
      expect((await run(['api-key', 'revoke', 'ops'])).code).toBe(0);
      expect(await svc.authenticate(key)).toBeUndefined();
      expect((await run(['api-key', 'revoke', 'ops'])).code).toBe(1);
    });

    it('points at SIYU_CONFIG when the account named is not configured', async () => {
      const r = await run(['sync', 'oa1', 'followers']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('siyu sync: no account oa1 is configured\n');
      expect(r.stderr).toContain('no account is configured: set SIYU_CONFIG to your config file');
    });

    it('prints a readable push-tags summary, or JSON with --json', async () => {
      await insertIgnore(db.ds, 'outbox', [
        { channel: 'oa', account: 'wxoa', op_key: 'k1', payload: '{}', status: 'dead' },
      ]);
      const text = await run(['push-tags']);
      expect(text.code).toBe(0);
      expect(text.stderr).toContain('set SIYU_CONFIG');
      expect(text.stdout).toMatch(
        /^Pushed in \d+\.\d s: 0 tag assignments now in WeChat, 0 WeChat calls, 0 outbox rows done\.\nOutbox now: 0 pending, 0 in flight, 0 done, 1 dead\.\n$/,
      );
      const json = await run(['push-tags', '--json']);
      expect(JSON.parse(json.stdout)).toEqual({
        pushed: expect.objectContaining({ calls: 0, rowsDone: 0, rowsDead: 0 }),
        durationMs: expect.any(Number),
        outbox: { pending: 0, in_flight: 0, done: 0, dead: 1 },
        nextAttemptAt: null,
      });
    });
  });
});
