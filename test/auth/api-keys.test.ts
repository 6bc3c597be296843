import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { hashApiKey } from '../../src/auth/api-key-format';
import { ApiKeyEntity } from '../../src/storage';

describe('admin API keys and roles', () => {
  let db: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db.ds, testConfig(db.url, { server: { maxJsonBytes: 1024 } }));
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('rejects a request without a key, with a malformed key and with an unknown key', async () => {
    expect((await t.request('/api/v1/whoami')).status).toBe(401);
    const bad = await t.request('/api/v1/whoami', { key: 'not-a-key' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('UNAUTHORIZED');
    const unknown = await t.request('/api/v1/whoami', { key: `sy_abcdefgh_${'x'.repeat(43)}` });
    expect(unknown.status).toBe(401);
  });

  it('stores only a hash and answers whoami', async () => {
    const key = await t.key('operator', 'ops-team');
    const rows = await db.ds.getRepository(ApiKeyEntity).find();
    expect(rows.some((r) => r.keyHash === hashApiKey(key))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(key);
    const me = await t.request('/api/v1/whoami', { key });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ kind: 'key', id: expect.any(String), name: 'ops-team', role: 'operator' });
  });

  it('stops a revoked key at once', async () => {
    const svc = new ApiKeyService(db.ds);
    const { key } = await svc.create('temp', 'viewer');
    expect((await t.request('/api/v1/whoami', { key })).status).toBe(200);
    expect(await svc.revoke('temp')).toBe(1);
    expect((await t.request('/api/v1/whoami', { key })).status).toBe(401);
    expect(await svc.revoke('temp')).toBe(0);
  });

  it('gives 403 to a role below the route and lets admin read the audit log', async () => {
    const viewer = await t.key('viewer', 'v1');
    const denied = await t.request('/api/v1/audit', { key: viewer });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
    const admin = await t.key('admin', 'root');
    await db.ds.query(
      "INSERT INTO audit_log (actor, role, action, target_type, target_id, created_at) VALUES ('cli', 'admin', 'api_key.create', 'api_key', '1', '2026-01-01 00:00:00.000')",
    );
    const ok = await t.request('/api/v1/audit?limit=1', { key: admin });
    expect(ok.status).toBe(200);
    expect(ok.body.items).toHaveLength(1);
    expect(ok.body.items[0]).toMatchObject({ actor: 'cli', action: 'api_key.create' });
    expect((await t.request('/api/v1/audit?limit=0', { key: admin })).status).toBe(400);
  });
});
