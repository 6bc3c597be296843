import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import axios, { type AxiosInstance } from 'axios';
import type { DataSource } from 'typeorm';
import type { EmulatorOptions } from '../../emulator/app';
import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { SiyuConfig } from '../../config';
import { createServices, type Services } from '../../src/services';
import { createApp } from '../../src/http/app';
import { HttpMetrics } from '../../src/http/metrics';
import { silentLogger, type Logger } from '../../src/logger';
import { testConfig } from '../helpers/test-app';

export const SHOP = 'https://shop.example.com';

/** A minimal browser cookie jar: name, value and path; expired or emptied cookies are dropped. */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attrs.some((a) => a.toLowerCase().startsWith('expires=') && Date.parse(a.slice(8)) <= Date.now());
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }

  header(path: string): string {
    return [...this.cookies]
      .filter(([, c]) => path.startsWith(c.path))
      .map(([n, c]) => `${n}=${c.value}`)
      .join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  clone(): CookieJar {
    const j = new CookieJar();
    for (const [n, c] of this.cookies) j.cookies.set(n, { ...c });
    return j;
  }
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
  location: string | null;
}

export interface RequestInitX extends Omit<RequestInit, 'body'> {
  json?: unknown;
  body?: string;
  jar?: CookieJar;
  bearer?: string;
}

export interface FrontDoorHarness {
  emu: RunningEmulator;
  app: Services;
  config: SiyuConfig;
  url: string;
  control: AxiosInstance;
  oaAppId(i?: number): string;
  mpAppId(i?: number): string;
  /** A gateway (or absolute) URL, redirects not followed, cookies taken from and stored in `jar`. */
  request(pathOrUrl: string, init?: RequestInitX): Promise<Reply>;
  /** The whole H5 login as a browser does it, through the emulator's authorize page. */
  browserLogin(
    appId: string,
    opts?: { redirect?: string; scope?: string; personId?: number; jar?: CookieJar; anonymousId?: string },
  ): Promise<{ jar: CookieJar; callback: Reply; callbackUrl: string }>;
  mpLogin(appId: string, who?: { personId?: number; openid?: string }, anonymousId?: string): Promise<Reply>;
  /** Moves the emulator clock, which is also the gateway's clock. */
  advance(seconds: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The gateway on 127.0.0.1:0 with `server.publicUrl` = its own address (the OAuth redirect_uri must come back to
 * it), accounts pointing at an emulator, clients and the gateway clock on the emulator clock.
 */
export async function startFrontDoors(
  db: { ds: DataSource; url: string },
  overrides: Record<string, unknown> = {},
  world: EmulatorOptions = {},
  logger: Logger = silentLogger(),
): Promise<FrontDoorHarness> {
  const emu = await startEmulator({
    followers: 20,
    officialAccounts: 2,
    miniPrograms: 1,
    corps: 0,
    merchants: 0,
    wecomContacts: 0,
    ...world,
  });
  let handler: (req: IncomingMessage, res: ServerResponse) => unknown = (_req, res) => res.end();
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const config = testConfig(db.url, {
    accounts: gatewayAccounts(emu.state, emu.url),
    server: { publicUrl: url, allowedOrigins: [SHOP] },
    security: { sessionSecret: 'front-door-test-secret', dataKey: '11'.repeat(32) },
    ...overrides,
  });
  const app = createServices(
    { config, ds: db.ds, logger, metrics: new HttpMetrics(), now: () => emu.state.clock.nowMs() },
    { clients: { http: { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 5000 } } },
  );
  handler = createApp(app).callback();
  const control = axios.create({ baseURL: `${emu.url}/_emulator`, validateStatus: () => true });
  const ids = (kind: string) =>
    config.accounts.filter((a) => a.kind === kind).map((a) => (a as { appId: string }).appId);

  const request = async (pathOrUrl: string, init: RequestInitX = {}): Promise<Reply> => {
    const target = new URL(pathOrUrl, url);
    const headers = new Headers(init.headers);
    if (init.jar && target.origin === url) {
      const cookie = init.jar.header(target.pathname);
      if (cookie) headers.set('cookie', cookie);
    }
    if (init.bearer !== undefined) headers.set('authorization', `Bearer ${init.bearer}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const { jar, json: _json, bearer: _bearer, ...rest } = init;
    const res = await fetch(target, { ...rest, headers, body, redirect: 'manual' });
    if (jar && target.origin === url) jar.store(res);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* HTML or text */
    }
    return { status: res.status, headers: res.headers, body: parsed, text, location: res.headers.get('location') };
  };

  return {
    emu,
    app,
    config,
    url,
    control,
    oaAppId: (i = 0) => ids('official-account')[i]!,
    mpAppId: (i = 0) => ids('mini-program')[i]!,
    request,
    async browserLogin(appId, opts = {}) {
      const jar = opts.jar ?? new CookieJar();
      const q = new URLSearchParams({
        redirect: opts.redirect ?? `${SHOP}/after-login?x=1`,
        scope: opts.scope ?? 'snsapi_base',
        ...(opts.anonymousId !== undefined ? { anonymousId: opts.anonymousId } : {}),
      });
      const start = await request(`/h5/${appId}/login?${q}`, { jar });
      if (start.status !== 302 || !start.location)
        throw new Error(`login did not redirect: ${start.status} ${start.text}`);
      if (opts.personId !== undefined) await control.post('/oauth/visitors', { appId, personId: opts.personId });
      const authorize = await fetch(start.location, { redirect: 'manual' });
      const callbackUrl = authorize.headers.get('location');
      if (authorize.status !== 302 || !callbackUrl)
        throw new Error(`authorize page did not redirect: ${authorize.status}`);
      return { jar, callback: await request(callbackUrl, { jar }), callbackUrl };
    },
    async mpLogin(appId, who = {}, anonymousId) {
      const minted = (await control.post(`/mp/${appId}/js-codes`, who)).data as { code: string };
      const json = { code: minted.code, ...(anonymousId !== undefined ? { anonymousId } : {}) };
      return request(`/mp/${appId}/login`, { method: 'POST', json });
    },
    async advance(seconds) {
      await control.post('/clock/advance', { seconds });
    },
    async close() {
      await app.syncs.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await emu.close();
    },
  };
}
