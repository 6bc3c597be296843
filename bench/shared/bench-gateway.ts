import type { Account } from '../../config';
import type { DataSource } from '../../src/storage';
import { openDatabase } from '../../src/storage/data-source';
import type { Apps, Gateway } from '../identity/drive';
import { call } from '../identity/http';
import { type Child, startChild } from './child-process';

export interface BenchGateway {
  /** The bench's own connection to the gateway's database (migrated), for counting what the gateway stored. */
  ds: DataSource;
  /** The gateway's process: `stop()` it when done; its pid is what the RSS watch samples. */
  child: Child<unknown>;
  gw: Gateway;
  /** The emulator's apps, which the bench points at the gateway's callback URLs. */
  apps: Apps & { openPlatformId: string };
}

/**
 * The real gateway in its own process (operator key) on `dbUrl`, with the accounts of the running emulator
 * whose ready message is `emuReady`, and the emulator's app list. `nodeArgs` go to the gateway's node (--cpu-prof …).
 */
export async function startBenchGateway(
  dbUrl: string,
  emuReady: Record<string, unknown>,
  nodeArgs: string[] = [],
): Promise<BenchGateway> {
  const ds = await openDatabase({ url: dbUrl }, { migrate: true });
  const child = await startChild(
    __dirname,
    'gateway-child',
    {
      BENCH_DATABASE_URL: dbUrl,
      BENCH_ACCOUNTS: JSON.stringify(emuReady.accounts as Account[]),
      BENCH_ROLE: 'operator',
    },
    nodeArgs,
  );
  const gw = { url: String(child.ready.url), key: String(child.ready.key) };
  const apps = await call<Apps & { openPlatformId: string }>(`${String(emuReady.url)}/_emulator/apps`);
  return { ds, child, gw, apps };
}
