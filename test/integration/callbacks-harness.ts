import { mkdtemp, rm, writeFile } from 'fs/promises';
import { createServer, type Server } from 'http';
import { tmpdir } from 'os';
import path from 'path';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { SiyuConfig } from '../../config';
import { startGateway, type RunningGateway } from '../../src/server';
import { silentLogger } from '../../src/logger';
import { testConfig } from '../helpers/test-app';
import { select } from '../../src/storage/sql';
import type { DataSource } from 'typeorm';

/**
 * The real gateway (startGateway on 127.0.0.1:0, background workers included) against the emulator, configured
 * from the emulator's own app registry and Pay keys, the way a developer sets Siyu up locally.
 */
export interface AppsSummary {
  openPlatformId: string;
  officialAccounts: { appId: string; callbackMode: string; originalId: string }[];
  miniPrograms: { appId: string; callbackMode: string; format: string }[];
  corps: { corpId: string }[];
  merchants: { mchId: string; appId: string; apiV3Key: string }[];
  accounts: Record<string, unknown>[];
}

export interface World {
  emulator: RunningEmulator;
  apps: AppsSummary;
  config: SiyuConfig;
  /** POST JSON to the emulator control API (`/_emulator…`), returning the parsed answer. */
  control<T = any>(path: string, body?: unknown, method?: string): Promise<T>;
  close(): Promise<void>;
}

export async function startWorld(dbUrl: string): Promise<World> {
  const emulator = await startEmulator({
    seed: 7,
    followers: 20,
    officialAccounts: 3,
    miniPrograms: 1,
    corps: 1,
    merchants: 1,
    wecomStaff: 3,
    wecomContacts: 5,
  });
  const control = async (p: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') => {
    const res = await fetch(`${emulator.url}/_emulator${p}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`emulator ${method} ${p} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  let apps: AppsSummary;
  let keys: { certificatePem: string; publicKeyPem: string; publicKeyId: string };
  try {
    apps = (await control('/apps')) as AppsSummary;
    keys = await control('/pay/keys');
  } catch (err) {
    await emulator.close();
    throw err;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'siyu-pay-'));
  const certFile = path.join(dir, 'platform.pem');
  const keyFile = path.join(dir, 'pubkey.pem');
  await writeFile(certFile, keys.certificatePem);
  await writeFile(keyFile, keys.publicKeyPem);
  const m = apps.merchants[0]!;
  const pay = {
    kind: 'wechat-pay',
    mchId: m.mchId,
    apiV3Key: m.apiV3Key,
    platformCertPaths: [certFile],
    platformPublicKeyPath: keyFile,
    platformPublicKeyId: keys.publicKeyId,
  };
  const config = testConfig(dbUrl, { accounts: [...apps.accounts, pay], security: { dataKey: 'b'.repeat(64) } });
  return {
    emulator,
    apps,
    config,
    control,
    close: async () => {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function gateway(config: SiyuConfig): Promise<RunningGateway> {
  return startGateway(config, { port: 0, logger: silentLogger() });
}

/**
 * Polls until `fn` returns a truthy value (the processor runs asynchronously). The cap only turns a hang into a
 * failure before jest's own timeout; a loaded machine may take many seconds for what a quiet one does at once.
 */
export async function waitFor<T>(fn: () => Promise<T>, ms = 90_000): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function inboxRows(
  ds: DataSource,
  like: string,
): Promise<{ id: unknown; dedupe_key: string; status: string; kind: string }[]> {
  return select(ds, 'SELECT id, dedupe_key, status, kind FROM inbox WHERE dedupe_key LIKE ? ORDER BY id', [like]);
}

/**
 * A hop between WeChat and the gateway that loses the first answer to every distinct request (answers 500 after
 * the gateway already committed it): WeChat then retries the identical request, as when an ack is lost.
 */
export async function lossyProxy(target: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const seen = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const key = `${req.method} ${req.url} ${body.toString('base64')}`;
      void fetch(target() + req.url, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'text/xml' },
        body: req.method === 'POST' ? body : undefined,
      }).then(
        async (r) => {
          const text = await r.text();
          if (!seen.has(key)) {
            seen.add(key);
            res.writeHead(500).end('ack lost');
          } else res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/plain' }).end(text);
        },
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
