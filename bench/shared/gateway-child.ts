import { loadConfig, type Account } from '../../config';
import { ApiKeyService } from '../../src/auth/api-key.service';
import type { Role } from '../../src/auth/roles';
import { createLogger } from '../../src/logger';
import { startGateway } from '../../src/server';
import { onStopMessage } from './child-process';

/** Every bench gateway uses this data key, so a bench can compute phone hashes the way its gateway does. */
export const BENCH_DATA_KEY = 'e'.repeat(64);

/**
 * The real gateway (background workers included, cron jobs off) in its own process. Env: BENCH_DATABASE_URL
 * (already migrated), BENCH_ACCOUNTS (JSON), BENCH_ROLE (API key role, default viewer). Answers with its URL and
 * a fresh API key.
 */
async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL!;
  const accounts = JSON.parse(process.env.BENCH_ACCOUNTS ?? '[]') as Account[];
  const config = loadConfig({
    env: {},
    overrides: {
      server: { host: '127.0.0.1', port: 0 },
      database: { url, migrate: false, poolSize: 20 },
      log: { level: 'warn' },
      jobs: { enabled: false },
      security: { dataKey: BENCH_DATA_KEY, sessionSecret: 'bench-session-secret' },
      accounts,
    },
  });
  const gw = await startGateway(config, { logger: createLogger('warn'), port: 0 });
  const { key } = await new ApiKeyService(gw.app.ds).create('bench', (process.env.BENCH_ROLE ?? 'viewer') as Role);
  onStopMessage(() => gw.stop());
  process.send!({ type: 'ready', url: gw.url, key });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
