import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { TEST_DATA_KEY } from '../helpers/test-app';

const ROOT = path.resolve(__dirname, '../..');

/**
 * `siyu serve` in its own process (the TypeScript sources through swc, as jest reads them): process metrics are
 * the process's, so they are checked where the process is the gateway's.
 */
function serve(): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(
    process.execPath,
    ['-r', './test/syncs/fixtures/swc-register.js', '-e', "require('./src/cli/main.ts').main(['serve'])"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        SIYU_CONFIG: '',
        DATABASE_URL: 'sqlite::memory:',
        PORT: '0',
        LOG_LEVEL: 'silent',
        SIYU_DATA_KEY: TEST_DATA_KEY,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /siyu listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`siyu serve exited ${code} before listening: ${err}`)));
  });
  return { child, url };
}

describe('siyu serve', () => {
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise((exited) => child!.once('exit', exited).kill('SIGKILL'));
    }
  });

  it('reports the process metrics on /metrics and exits 0 on SIGTERM', async () => {
    const s = serve();
    child = s.child;
    const url = await s.url;
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('process_cpu_user_seconds_total');
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
    expect(metrics).toMatch(/siyu_http_requests_total/);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
