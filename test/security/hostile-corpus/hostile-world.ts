import { createServer, type Server } from 'http';
import { rmSync } from 'fs';
import type { DataSource } from 'typeorm';
import { gatewayAccounts } from '../../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import type { SiyuConfig } from '../../../config';
import { createServices } from '../../../src/services';
import { createApp } from '../../../src/http/app';
import { HttpMetrics } from '../../../src/http/metrics';
import { silentLogger } from '../../../src/logger';
import { select } from '../../../src/storage/sql';
import { testConfig } from '../../helpers/test-app';
import { makePayKeys, PUB_KEY_ID, type PayKeys } from '../../connectors/wechat-pay/pay-fixtures';

/**
 * The gateway listening on 127.0.0.1 (real sockets, so framing cases can reach it) with one account of each
 * callback kind under fixed credentials, plus an emulator for the front doors' WeChat calls (code2session,
 * OAuth). No background workers: a rejected input can only show up as rows the request itself wrote.
 */
export const OA_PLAIN = { appId: 'wxh0571e00000001', token: 'hostileOaPlain', originalId: 'gh_h0571e000001' };
export const OA_SAFE = {
  appId: 'wxh0571e00000002',
  token: 'hostileOaSafe',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  originalId: 'gh_h0571e000002',
};
export const MP_JSON = { appId: 'wxh0571e00000003', token: 'hostileMpJson' };
export const MP_SAFE = {
  appId: 'wxh0571e00000004',
  token: 'hostileMpSafe',
  encodingAESKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut',
};
export const WECOM = {
  corpId: 'wwh0571e00000001',
  token: 'hostileWecom',
  encodingAESKey: 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8L9z0X1c',
};
export const PAY = { mchId: '1900000109', apiV3Key: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6', appId: 'wxh0571e00000003' };

export interface RowCounts {
  inbox: number;
  events: number;
  customers: number;
  identities: number;
}

export interface HostileWorld {
  url: string;
  port: number;
  config: SiyuConfig;
  payKeys: PayKeys;
  /** The gateway's clock in Unix seconds (the emulator's clock). */
  nowSeconds(): number;
  /** appids of the emulator's OA (H5 front door) and MP (login, phone). */
  h5AppId: string;
  loginAppId: string;
  /** A fresh `token` from a real Mini Program login. */
  mpToken(): Promise<string>;
  counts(): Promise<RowCounts>;
  close(): Promise<void>;
}

export async function startHostileWorld(db: { ds: DataSource; url: string }): Promise<HostileWorld> {
  const emu: RunningEmulator = await startEmulator({
    followers: 5,
    officialAccounts: 1,
    miniPrograms: 1,
    corps: 0,
    merchants: 0,
    wecomContacts: 0,
  });
  const payKeys = makePayKeys();
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const fromEmulator = gatewayAccounts(emu.state, emu.url);
  const config = testConfig(db.url, {
    accounts: [
      ...fromEmulator,
      { kind: 'official-account', appSecret: 's', ...OA_PLAIN },
      { kind: 'official-account', appSecret: 's', ...OA_SAFE },
      { kind: 'mini-program', appSecret: 's', messageFormat: 'json', ...MP_JSON },
      { kind: 'mini-program', appSecret: 's', messageFormat: 'json', ...MP_SAFE },
      { kind: 'wecom', contactSecret: 's', ...WECOM },
      {
        kind: 'wechat-pay',
        mchId: PAY.mchId,
        apiV3Key: PAY.apiV3Key,
        platformCertPaths: [payKeys.certPath],
        platformPublicKeyPath: payKeys.publicKeyPath,
        platformPublicKeyId: PUB_KEY_ID,
      },
    ],
    server: { publicUrl: url, allowedOrigins: ['https://shop.example.com'] },
    security: { sessionSecret: 'hostile-corpus-secret', dataKey: '22'.repeat(32) },
  });
  const app = createServices(
    { config, ds: db.ds, logger: silentLogger(), metrics: new HttpMetrics(), now: () => emu.state.clock.nowMs() },
    { clients: { http: { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 5000 } } },
  );
  const handle = createApp(app).callback();
  server.on('request', (req, res) => void handle(req, res));
  const appIdOf = (kind: string) => (fromEmulator.find((a) => a.kind === kind) as { appId: string }).appId;
  const loginAppId = appIdOf('mini-program');

  return {
    url,
    port,
    config,
    payKeys,
    nowSeconds: () => Math.floor(app.now() / 1000),
    h5AppId: appIdOf('official-account'),
    loginAppId,
    async mpToken() {
      const minted = await fetch(`${emu.url}/_emulator/mp/${loginAppId}/js-codes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const { code } = (await minted.json()) as { code: string };
      const res = await fetch(`${url}/mp/${loginAppId}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      if (res.status !== 200) throw new Error(`MP login failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    async counts() {
      const [row] = await select<Record<keyof RowCounts, unknown>>(
        db.ds,
        'SELECT (SELECT COUNT(*) FROM inbox) AS inbox, (SELECT COUNT(*) FROM events) AS events, (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM identities) AS identities',
      );
      return {
        inbox: Number(row!.inbox),
        events: Number(row!.events),
        customers: Number(row!.customers),
        identities: Number(row!.identities),
      };
    },
    async close() {
      await app.syncs.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await emu.close();
      rmSync(payKeys.dir, { recursive: true, force: true });
    },
  };
}
