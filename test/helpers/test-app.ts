import type { Server } from 'http';
import type { DataSource } from 'typeorm';
import { loadConfig, type SiyuConfig } from '../../config';
import { createApp } from '../../src/http/app';
import { HttpMetrics } from '../../src/http/metrics';
import { silentLogger } from '../../src/logger';
import { createServices, type Services, type ServicesOptions } from '../../src/services';
import { ApiKeyService } from '../../src/auth/api-key.service';
import type { Role } from '../../src/auth/roles';

export interface TestApp {
  app: Services;
  url: string;
  /** fetch relative to the app, returning status, headers and parsed JSON (or text). */
  request(
    path: string,
    init?: RequestInit & { json?: unknown; key?: string },
  ): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  key(role: Role, name?: string): Promise<string>;
  close(): Promise<void>;
}

/** A fixed data key for tests: MySQL refuses to start without one (DESIGN §12). */
export const TEST_DATA_KEY = '5a'.repeat(32);

/** Test config: defaults plus overrides; the database is the test's DataSource. */
export function testConfig(url: string, overrides: Record<string, unknown> = {}): SiyuConfig {
  const security = { dataKey: TEST_DATA_KEY, ...(overrides.security as Record<string, unknown> | undefined) };
  return loadConfig({
    env: {},
    overrides: {
      database: { url, migrate: false },
      log: { level: 'silent' },
      jobs: { enabled: false },
      ...overrides,
      security,
    },
  });
}

/** The real koa app (no background workers) listening on 127.0.0.1:0. */
export async function startTestApp(
  ds: DataSource,
  config: SiyuConfig,
  services: ServicesOptions = {},
): Promise<TestApp> {
  const app = createServices(
    { config, ds, logger: silentLogger(), metrics: new HttpMetrics(), now: () => Date.now() },
    services,
  );
  const server: Server = await new Promise((resolve) => {
    const s = createApp(app).listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const keys = new ApiKeyService(ds);
  return {
    app,
    url,
    async request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.key) headers.set('authorization', `Bearer ${init.key}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      const res = await fetch(url + path, { ...init, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    async key(role, name = `${role}-key`) {
      return (await keys.create(name, role)).key;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
