import axios, { type AxiosInstance } from 'axios';
import type { DataSource } from 'typeorm';
import type { SiyuConfig } from '../../config';
import type { EmulatorOptions } from '../../emulator/app';
import { gatewayAccounts } from '../../emulator/control/apps.control';
import type { ApiCount } from '../../emulator/limits/counters';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { silentLogger } from '../../src/logger';
import { createClients, type Clients, type ClientsOptions } from '../../src/tokens/clients';
import { testConfig } from '../helpers/test-app';

/** An emulator on 127.0.0.1:0, a config whose accounts point at it, and client factories over a test DB. */
export interface EmulatorClients {
  emu: RunningEmulator;
  config: SiyuConfig;
  control: AxiosInstance;
  /** A client set as one gateway instance would build it (its own token manager and HTTP callers). */
  clients(ds: DataSource, options?: ClientsOptions): Clients;
  oaAppId(i?: number): string;
  mpAppId(i?: number): string;
  corpId(i?: number): string;
  /** Calls of one emulator API (`api.weixin.qq.com/cgi-bin/stable_token` …) since the last reset. */
  calls(api: string): Promise<ApiCount>;
  resetCounters(): Promise<void>;
  close(): Promise<void>;
}

export const fastHttp = { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 5_000 };

export async function startEmulatorClients(dbUrl: string, world: EmulatorOptions = {}): Promise<EmulatorClients> {
  const emu = await startEmulator({ followers: 50, wecomContacts: 30, wecomStaff: 5, ...world });
  const config = testConfig(dbUrl, { accounts: gatewayAccounts(emu.state, emu.url) });
  const control = axios.create({ baseURL: `${emu.url}/_emulator`, validateStatus: () => true });
  const ids = (kind: string, field: 'appId' | 'corpId') =>
    config.accounts.filter((a) => a.kind === kind).map((a) => (a as unknown as Record<string, string>)[field]!);
  const pick = (list: string[], i: number) => {
    const v = list[i];
    if (v === undefined) throw new Error(`no account #${i}`);
    return v;
  };
  return {
    emu,
    config,
    control,
    clients: (ds, options = {}) =>
      createClients(
        { ds, config, logger: silentLogger() },
        { now: () => emu.state.clock.nowMs(), ...options, http: { ...fastHttp, ...options.http } },
      ),
    oaAppId: (i = 0) => pick(ids('official-account', 'appId'), i),
    mpAppId: (i = 0) => pick(ids('mini-program', 'appId'), i),
    corpId: (i = 0) => pick(ids('wecom', 'corpId'), i),
    calls: async (api) => {
      const r = await control.get<{ counters: Record<string, ApiCount> }>('/counters');
      return r.data.counters[api] ?? { calls: 0, ok: 0, errors: {}, injected: 0 };
    },
    resetCounters: async () => {
      await control.delete('/counters');
    },
    close: () => emu.close(),
  };
}
