import { execute, insertIgnore, select } from '../../../src/storage/sql';
import { useTestDatabase } from '../../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../../helpers/test-app';

describe('segment runs', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let operator: string;
  let viewer: string;
  let segmentId: string;
  let clock = Date.parse('2026-03-10T02:00:00.000Z');

  const oaCustomers = async (ids: string[]): Promise<void> => {
    await insertIgnore(
      db.ds,
      'customers',
      ids.map((id) => ({ id, status: 'active' })),
    );
    await insertIgnore(
      db.ds,
      'identities',
      ids.map((id) => ({ customer_id: id, type: 'oa_openid', scope: 'wxoa', value: `o-${id}` })),
    );
  };

  beforeAll(async () => {
    t = await startTestApp(db.ds, testConfig(db.url));
    t.app.now = () => clock;
    operator = await t.key('operator');
    viewer = await t.key('viewer');
    await oaCustomers(['a1', 'a2', 'a3']);
    const tag = await t.request('/api/v1/tags', { method: 'POST', key: operator, json: { name: '服务号粉丝' } });
    const seg = await t.request('/api/v1/segments', {
      method: 'POST',
      key: operator,
      json: { name: 'OA followers', tagId: tag.body.id, rule: { type: 'channel', channel: 'oa' } },
    });
    expect(seg.status).toBe(201);
    segmentId = seg.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses unknown segments, bad cursors and callers without a key', async () => {
    expect((await t.request(`/api/v1/segments/${segmentId}/runs`)).status).toBe(401);
    expect((await t.request('/api/v1/segments/999999/runs', { key: viewer })).status).toBe(404);
    const bad = await t.request(`/api/v1/segments/${segmentId}/runs?cursor=x`, { key: viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
  });

  it('keeps every run with its size and changes, newest first', async () => {
    expect((await t.request(`/api/v1/segments/${segmentId}/runs`, { key: viewer })).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(
      (await t.request(`/api/v1/segments/${segmentId}/run`, { method: 'POST', key: operator })).body.result,
    ).toMatchObject({ added: 3, removed: 0, members: 3 });

    clock += 86_400_000;
    await oaCustomers(['a4']);
    await execute(db.ds, "DELETE FROM identities WHERE customer_id = 'a1'");
    expect(
      (await t.request(`/api/v1/segments/${segmentId}/run`, { method: 'POST', key: operator })).body.result,
    ).toMatchObject({ added: 1, removed: 1, members: 3 });

    clock += 86_400_000;
    await oaCustomers(['a5', 'a6']);
    expect(
      (await t.request(`/api/v1/segments/${segmentId}/run`, { method: 'POST', key: operator })).body.result,
    ).toMatchObject({ added: 2, removed: 0, members: 5 });

    const runs = await t.request(`/api/v1/segments/${segmentId}/runs`, { key: viewer });
    expect(runs.status).toBe(200);
    expect(
      runs.body.items.map((r: { members: number; added: number; removed: number; startedAt: string }) => [
        r.startedAt,
        r.members,
        r.added,
        r.removed,
      ]),
    ).toEqual([
      ['2026-03-12T02:00:00.000Z', 5, 2, 0],
      ['2026-03-11T02:00:00.000Z', 3, 1, 1],
      ['2026-03-10T02:00:00.000Z', 3, 3, 0],
    ]);
    expect(runs.body.items[0]).toMatchObject({
      segmentId,
      status: 'done',
      triggeredBy: 'operator-key',
      scanned: 6,
      error: null,
    });

    const first = await t.request(`/api/v1/segments/${segmentId}/runs?limit=2`, { key: viewer });
    expect(first.body.items.map((r: { members: number }) => r.members)).toEqual([5, 3]);
    const rest = await t.request(`/api/v1/segments/${segmentId}/runs?limit=2&cursor=${first.body.nextCursor}`, {
      key: viewer,
    });
    expect(rest.body).toEqual({ items: [expect.objectContaining({ added: 3 })], nextCursor: null });
  });

  it('lists segments with their latest count and their tag by name', async () => {
    const list = await t.request('/api/v1/segments', { key: viewer });
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: segmentId,
        tagName: '服务号粉丝',
        lastCount: 5,
        lastRunAt: '2026-03-12T02:00:00.000Z',
      }),
    ]);
    expect((await t.request(`/api/v1/segments/${segmentId}`, { key: viewer })).body.tagName).toBe('服务号粉丝');
  });

  it('drops the runs with the segment', async () => {
    expect((await t.request(`/api/v1/segments/${segmentId}`, { method: 'DELETE', key: operator })).status).toBe(200);
    expect((await t.request(`/api/v1/segments/${segmentId}/runs`, { key: viewer })).status).toBe(404);
    expect(await select(db.ds, 'SELECT id FROM segment_runs WHERE segment_id = ?', [segmentId])).toEqual([]);
  });
});
