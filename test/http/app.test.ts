import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

describe('gateway app', () => {
  let db: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db.ds, testConfig(db.url));
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('answers unknown routes with a JSON 404 and wrong methods with 405', async () => {
    const nf = await t.request('/nope');
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    const na = await t.request('/healthz', { method: 'POST' });
    expect(na.status).toBe(405);
    expect(na.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(na.headers.get('allow')).toContain('GET');
  });

  it('reports liveness, readiness and its own metrics', async () => {
    expect((await t.request('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await t.request('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: true, migrations: true });
    const m = await t.request('/metrics');
    expect(m.status).toBe(200);
    expect(m.text).toMatch(/siyu_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/);
    // Process metrics are the process's: only `siyu serve` collects them (test/cli/serve-process.test.ts).
    expect(m.text).not.toContain('process_cpu_user_seconds_total');
  });

  it('serves an OpenAPI document of /api/v1 derived from the router, with the role each route needs', async () => {
    const r = await t.request('/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(r.body.paths['/api/v1/whoami'].get['x-required-role']).toBe('any');
    expect(r.body.paths['/api/v1/audit'].get['x-required-role']).toBe('admin');
    expect(r.body.paths['/api/v1/customers/lookup'].get).toBeDefined();
    expect(r.body.paths['/api/v1/merges/{id}/undo'].post.parameters[0].name).toBe('id');
  });

  it('echoes a request id', async () => {
    const r = await t.request('/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(r.headers.get('x-request-id')).toBe('abc-123');
    expect((await t.request('/healthz')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('readiness without migrations', () => {
  it('is 503 while the schema is not migrated', async () => {
    const db = await createTestDatabase({ migrate: false });
    const t = await startTestApp(db.ds, testConfig(db.url));
    try {
      const r = await t.request('/readyz');
      expect(r.status).toBe(503);
      expect(r.body.checks).toEqual({ database: true, migrations: false });
    } finally {
      await t.close();
      await db.drop();
    }
  });
});
