import { loadConfig } from '../../config';
import { createLogger } from '../../src/logger';
import { buildContext } from '../../src/server';
import { createServices, type Services } from '../../src/services';

/**
 * The gateway's services in the bench's own process, on a bench database: migrated, background jobs off, warnings
 * only, a fixed data key. `overrides` add to that config (accounts, sources, webhook settings), `database` to its
 * database section (a pool size).
 */
export async function benchServices(
  url: string,
  overrides: Record<string, unknown> = {},
  database: Record<string, unknown> = {},
): Promise<Services> {
  const config = loadConfig({
    env: {},
    overrides: {
      database: { url, migrate: true, ...database },
      log: { level: 'warn' },
      jobs: { enabled: false },
      security: { dataKey: '5a'.repeat(32) },
      ...overrides,
    },
  });
  return createServices(await buildContext(config, { logger: createLogger('warn', process.stderr) }));
}
