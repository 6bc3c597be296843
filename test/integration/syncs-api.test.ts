import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

describe('sync API', () => {
  const db = useTestDatabase();
  let emu: RunningEmulator;
  let t: TestApp;
  let operator: string;
  let viewer: string;
  let oaId: string;
  let corpId: string;

  beforeAll(async () => {
    emu = await startEmulator({ followers: 10_200, officialAccounts: 1, wecomContacts: 20, wecomStaff: 3 });
    const config = testConfig(db.url, { accounts: gatewayAccounts(emu.state, emu.url) });
    t = await startTestApp(db.ds, config);
    operator = await t.key('operator');
    viewer = await t.key('viewer');
    oaId = config.accounts.find((a) => a.kind === 'official-account')!.id;
    corpId = config.accounts.find((a) => a.kind === 'wecom')!.id;
  });
  afterAll(async () => {
    await t.app.syncs.stop();
    await t.close();
    await emu.close();
  });

  const start = (json: unknown, key = operator) => t.request('/api/v1/syncs', { method: 'POST', json, key });

  it('rejects a start without a key (401) and from a viewer (403)', async () => {
    expect(
      (await t.request('/api/v1/syncs', { method: 'POST', json: { accountId: oaId, resource: 'followers' } })).status,
    ).toBe(401);
    const res = await start({ accountId: oaId, resource: 'followers' }, viewer);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('rejects an unknown account (404), a resource that does not fit the account (422) and a malformed body (422)', async () => {
    const unknown = await start({ accountId: 'wx-nope', resource: 'followers' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('ACCOUNT_NOT_FOUND');
    const mismatch = await start({ accountId: oaId, resource: 'contacts' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.code).toBe('RESOURCE_NOT_SUPPORTED');
    expect((await start({ accountId: corpId, resource: 'followers' })).status).toBe(422);
    const bad = await start({ accountId: oaId });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('lists what a start may name (operator): accounts with their resources, no secrets, viewer refused', async () => {
    expect((await t.request('/api/v1/syncs/sources')).status).toBe(401);
    const refused = await t.request('/api/v1/syncs/sources', { key: viewer });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    const res = await t.request('/api/v1/syncs/sources', { key: operator });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        { accountId: oaId, accountName: '品牌服务号', kind: 'official-account', appId: oaId, resources: ['followers'] },
        {
          accountId: corpId,
          accountName: '示例品牌有限公司',
          kind: 'wecom',
          corpId,
          resources: ['contacts', 'corp-tags', 'staff', 'groups'],
        },
      ]),
    );
    // Mini Program and Pay accounts have nothing to sync, so a start form never offers them.
    expect(res.body.items.every((s: { resources: string[] }) => s.resources.length > 0)).toBe(true);
    for (const a of t.app.config.accounts) {
      for (const secret of [
        'appSecret',
        'contactSecret',
        'agentSecret',
        'directorySecret',
        'apiV3Key',
        'encodingAESKey',
      ] as const) {
        const v = (a as Record<string, unknown>)[secret];
        if (typeof v === 'string' && v) expect(res.text).not.toContain(v);
      }
    }
  });

  it('404 for an unknown sync id', async () => {
    expect((await t.request('/api/v1/syncs/424242', { key: viewer })).status).toBe(404);
    expect((await t.request('/api/v1/syncs/abc', { key: viewer })).status).toBe(404);
  });

  it('starts in the background (202), refuses a second start while it runs (409), reports progress to the end', async () => {
    const res = await start({ accountId: oaId, resource: 'followers' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: 'running',
      accountId: oaId,
      accountName: '品牌服务号',
      resource: 'followers',
    });
    const id = res.body.id as string;
    const again = await start({ accountId: oaId, resource: 'followers' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SYNC_RUNNING');

    let p = (await t.request(`/api/v1/syncs/${id}`, { key: viewer })).body;
    // Polls until the run leaves `running`; the cap only turns a hang into a failure before jest's own timeout.
    const deadline = Date.now() + 100_000;
    while (p.status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      p = (await t.request(`/api/v1/syncs/${id}`, { key: viewer })).body;
    }
    expect(p).toMatchObject({
      id,
      status: 'done',
      processed: 10_200,
      total: 10_200,
      percent: 100,
      error: null,
      triggeredBy: 'api:operator-key',
    });
    expect(p.rate).toBeGreaterThan(0);
    expect(Date.parse(p.finishedAt)).toBeGreaterThanOrEqual(Date.parse(p.startedAt));

    const audit = (await db.ds.query("SELECT action, target_id FROM audit_log WHERE action = 'sync.start'")) as {
      target_id: string;
    }[];
    expect(audit.map((a) => a.target_id)).toEqual([id]);
  });

  it('lists runs filtered by account and resource, newest first', async () => {
    const tags = await start({ accountId: corpId, resource: 'corp-tags' });
    expect(tags.status).toBe(202);
    await t.app.syncs.stop();
    const all = (await t.request('/api/v1/syncs', { key: viewer })).body;
    expect(all.items.map((r: { resource: string }) => r.resource)).toEqual(['corp-tags', 'followers']);
    const oa = (await t.request(`/api/v1/syncs?accountId=${oaId}&resource=followers`, { key: viewer })).body;
    expect(oa.items).toHaveLength(1);
    expect(oa.nextCursor).toBeNull();
    const paged = (await t.request('/api/v1/syncs?limit=1', { key: viewer })).body;
    expect(paged.items).toHaveLength(1);
    const rest = (await t.request(`/api/v1/syncs?limit=1&cursor=${paged.nextCursor}`, { key: viewer })).body;
    expect(rest.items[0].resource).toBe('followers');
  });
});
