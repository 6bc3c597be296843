import type { DataSource } from 'typeorm';
import type { EmulatorOptions } from '../../emulator/app';
import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { Account, SiyuConfig } from '../../config';
import { HttpMetrics } from '../../src/http/metrics';
import { silentLogger } from '../../src/logger';
import { createServices, type Services, type ServicesOptions } from '../../src/services';
import { testConfig } from '../helpers/test-app';

export interface SyncHarness {
  emu: RunningEmulator;
  config: SiyuConfig;
  app: Services;
  /** The same object as `app`: what syncs run on. */
  rt: Services;
  oa(index?: number): Account & { kind: 'official-account' };
  wecom(index?: number): Account & { kind: 'wecom' };
  /** POSTs to the emulator's control API (`/_emulator<path>`); a status of 300 or more throws with the answer. */
  control<T = Record<string, unknown>>(path: string, body: unknown): Promise<T>;
  close(): Promise<void>;
}

/** Config whose accounts point at the emulator (its own `/_emulator/apps` account entries). */
export function emulatorConfig(
  ds: DataSource,
  url: string,
  emu: RunningEmulator,
  overrides: Record<string, unknown> = {},
): SiyuConfig {
  return testConfig(url, { accounts: gatewayAccounts(emu.state, emu.url), ...overrides });
}

/** The services of one test gateway on `ds` (no HTTP server, no background workers). */
export function testServices(ds: DataSource, config: SiyuConfig, opts: ServicesOptions = {}): Services {
  return createServices(
    { config, ds, logger: silentLogger(), metrics: new HttpMetrics(), now: () => Date.now() },
    opts,
  );
}

/** An emulator world, a gateway config pointing at it, and the sync runtime on the test database. */
export async function startSyncHarness(
  db: { ds: DataSource; url: string },
  world: EmulatorOptions = {},
): Promise<SyncHarness> {
  const emu = await startEmulator({ followers: 50, wecomContacts: 30, wecomStaff: 5, ...world });
  const config = emulatorConfig(db.ds, db.url, emu);
  const app = testServices(db.ds, config, { clients: { http: { baseDelayMs: 1, maxDelayMs: 5 } } });
  const rt = app;
  const pick = <K extends Account['kind']>(kind: K, index: number) => {
    const a = config.accounts.filter((x) => x.kind === kind)[index];
    if (!a) throw new Error(`no ${kind} #${index}`);
    return a as Account & { kind: K };
  };
  return {
    emu,
    config,
    app,
    rt,
    oa: (i = 0) => pick('official-account', i),
    wecom: (i = 0) => pick('wecom', i),
    control: async <T>(path: string, body: unknown) => {
      const r = await fetch(`${emu.url}/_emulator${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (r.status >= 300) throw new Error(`${path} → ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
    close: async () => {
      await rt.syncs.stop();
      await emu.close();
    },
  };
}

export async function count(ds: DataSource, sql: string, params: unknown[] = []): Promise<number> {
  const rows = (await ds.query(sql, params)) as { n: unknown }[];
  return Number(rows[0]?.n ?? 0);
}
