import { randomBytes } from 'crypto';
import { chmod, mkdir, rm, writeFile } from 'fs/promises';
import path from 'path';
import { loadConfig, type SiyuConfig } from '../config';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import type { WorldOptionsInput } from '../emulator/options';
import { ApiKeyService } from '../src/auth/api-key.service';
import type { Logger } from '../src/logger';
import { startGateway, type RunningGateway } from '../src/server';
import { JsonClient } from './demo-http';
import { freePort } from './free-port';

export interface DemoOptions {
  /** Where `demo.db` and `demo-keys/` go (recreated each run). */
  dataDir: string;
  /** Preferred ports; taken ones (and 0) fall back to a free port. */
  port: number;
  emulatorPort: number;
  seed: number;
  logger: Logger;
  /** Cron jobs in the demo gateway (on in `siyu demo`, as in `siyu serve`). */
  jobs: boolean;
  /** Another (empty) database instead of `<dataDir>/demo.db`, e.g. MySQL in the test suite's MySQL pass. */
  databaseUrl?: string;
}

/**
 * A small world: a few hundred persons over two OAs, one Mini Program, one WeCom corp, one Pay merchant.
 * No WeCom-user contacts (external contact type 2, `wo…`): WeChat gives them no unionid, so a person who is
 * both a WeCom user and a WeChat user rightly stays two customers (DESIGN §4: deterministic keys only), and the
 * summary's customers-per-person check would mix that expected split with real misses.
 */
export const DEMO_WORLD: WorldOptionsInput = {
  followers: 240,
  officialAccounts: 2,
  miniPrograms: 1,
  corps: 1,
  merchants: 1,
  wecomStaff: 6,
  wecomContacts: 120,
  oaTags: 3,
  corpTagGroups: 2,
  overlap: { wecomUser: 0 },
};

export interface EmulatorApps {
  openPlatformId: string;
  persons: number;
  officialAccounts: { appId: string; name: string; callbackMode: string; followers: number }[];
  miniPrograms: { appId: string; name: string; users: number }[];
  corps: { corpId: string; name: string; staff: number; customers: number }[];
  merchants: { mchId: string; appId: string; apiV3Key: string }[];
  accounts: Record<string, unknown>[];
}

interface PayKeys {
  certificatePem: string;
  serialNo: string;
  publicKeyPem: string;
  publicKeyId: string;
}

export interface DemoWorld {
  emulator: RunningEmulator;
  gateway: RunningGateway;
  config: SiyuConfig;
  /** The gateway's config as a file for CLI commands against the demo (`SIYU_CONFIG`), in the data dir. */
  configFile: string;
  apps: EmulatorApps;
  /** The SQLite file (or the MySQL URL without credentials). */
  database: string;
  /** An admin API key made for the person running the demo (printed in the summary). */
  adminKey: string;
  api: JsonClient;
  control: JsonClient;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** The third-party system the demo is configured with, so CRM files import as the README shows. */
export const DEMO_SOURCE = { id: 'crm', name: 'CRM' } as const;

/**
 * The merchant's gateway account: the emulator's platform certificate and WeChat Pay public key written as PEM
 * files (the config takes paths), so notifications verify in both signing modes. Files are named by serial / key
 * id because the gateway reads a key file once per path for the life of the process
 * (connectors/wechat-pay/notification-keys.ts) and each emulator start issues a new certificate.
 */
async function payAccount(
  merchant: EmulatorApps['merchants'][number],
  keys: PayKeys,
  dir: string,
  emulatorUrl: string,
): Promise<Record<string, unknown>> {
  const certFile = path.join(dir, `platform-cert-${keys.serialNo}.pem`);
  const publicKeyFile = path.join(dir, `${keys.publicKeyId}.pem`);
  await writeFile(certFile, keys.certificatePem);
  await writeFile(publicKeyFile, keys.publicKeyPem);
  return {
    kind: 'wechat-pay',
    mchId: merchant.mchId,
    apiV3Key: merchant.apiV3Key,
    appIds: [merchant.appId],
    platformCertPaths: [certFile],
    platformPublicKeyPath: publicKeyFile,
    platformPublicKeyId: keys.publicKeyId,
    apiBase: `${emulatorUrl}/api.mch.weixin.qq.com`,
  };
}

/**
 * Starts the emulator (callback URLs pointing at the gateway's port), configures the gateway from the emulator's
 * `GET /_emulator/apps` account entries plus its Pay keys, and starts the gateway on a fresh SQLite file.
 * The second OA is switched to plaintext mode (so its account entry has no EncodingAESKey) and bound to the open
 * platform, so the three callback modes all occur and every channel can be unified through the unionid.
 */
export async function startDemoWorld(opts: DemoOptions): Promise<DemoWorld> {
  const dbFile = path.resolve(opts.dataDir, 'demo.db');
  const keysDir = path.resolve(opts.dataDir, 'demo-keys');
  await mkdir(opts.dataDir, { recursive: true });
  if (!opts.databaseUrl)
    await Promise.all(['', '-wal', '-shm', '-journal'].map((s) => rm(dbFile + s, { force: true })));
  await rm(keysDir, { recursive: true, force: true });
  await mkdir(keysDir, { recursive: true });

  const gatewayPort = await freePort(HOST, opts.port);
  const gatewayUrl = `http://${HOST}:${gatewayPort}`;
  let emulatorPort = await freePort(HOST, opts.emulatorPort);
  while (emulatorPort === gatewayPort) emulatorPort = await freePort(HOST, 0);
  const emulator = await startEmulator({ ...DEMO_WORLD, seed: opts.seed, gatewayUrl, port: emulatorPort, host: HOST });
  try {
    const control = new JsonClient(`${emulator.url}/_emulator`);
    const before = await control.get<EmulatorApps>('/apps');
    await control.patch(`/apps/${before.officialAccounts[1]!.appId}`, { callbackMode: 'plaintext', bound: true });
    const apps = await control.get<EmulatorApps>('/apps');
    const pay = await payAccount(apps.merchants[0]!, await control.get<PayKeys>('/pay/keys'), keysDir, emulator.url);
    const settings = {
      // H5 pages the developer tries (an H5 login's `redirect`, JS-SDK URLs) live on the gateway's own origin:
      // with no allowed origin at all, no H5 login could complete in the demo.
      server: { port: gatewayPort, host: HOST, publicUrl: gatewayUrl, allowedOrigins: [gatewayUrl] },
      database: { url: opts.databaseUrl ?? `sqlite:${dbFile}` },
      accounts: [...apps.accounts, pay],
      // A CRM to import customers and orders from (DESIGN §11): imports and the events API refuse unknown sources.
      sources: [DEMO_SOURCE],
      // MySQL needs a configured data key (DESIGN §12); the demo's data lives for this run only.
      ...(opts.databaseUrl?.startsWith('mysql:') ? { security: { dataKey: randomBytes(32).toString('hex') } } : {}),
    };
    // The same config for CLI commands run beside the demo (`SIYU_CONFIG=… siyu import …`), which open the
    // demo's database in their own process; it holds the emulator's app secrets, so only the owner reads it.
    const configFile = path.resolve(opts.dataDir, 'demo-config.json');
    await writeFile(configFile, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    await chmod(configFile, 0o600);
    const config = loadConfig({
      env: {},
      overrides: { ...settings, jobs: { enabled: opts.jobs }, log: { level: opts.logger.level } },
    });
    const gateway = await startGateway(config, { logger: opts.logger, port: gatewayPort });
    const adminKey = await new ApiKeyService(gateway.app.ds).create('demo-admin', 'admin').then(
      (k) => k.key,
      async (err: unknown) => {
        await gateway.stop();
        throw err;
      },
    );
    return {
      emulator,
      gateway,
      config,
      configFile,
      apps,
      database: opts.databaseUrl ? opts.databaseUrl.replace(/\/\/[^@]*@/, '//***@') : dbFile,
      adminKey,
      api: new JsonClient(`${gateway.url}/api/v1`, adminKey),
      control,
      close: async () => {
        await gateway.stop();
        await emulator.close();
      },
    };
  } catch (err) {
    await emulator.close();
    throw err;
  }
}
