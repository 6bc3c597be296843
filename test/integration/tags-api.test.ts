import { uuidv7 } from '../../src/storage/ids';
import { insertIgnore } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { drainAll, oaMembers, startTagsWorld, type TagsWorld } from '../tags/tags-world';

describe('tags API', () => {
  const db = useTestDatabase();
  let w: TagsWorld;
  let operator: string;
  let viewer: string;

  beforeAll(async () => {
    w = await startTagsWorld(db, { world: { seed: 21 } });
    operator = await w.api.key('operator');
    viewer = await w.api.key('viewer');
  });
  afterAll(async () => {
    await w?.close();
  });

  const req = (path: string, init: Parameters<TagsWorld['api']['request']>[1] = {}) =>
    w.api.request(path, { key: operator, ...init });

  describe('rejections', () => {
    it('needs an API key', async () => {
      expect((await w.api.request('/api/v1/tags')).status).toBe(401);
      expect((await w.api.request('/api/v1/segments')).status).toBe(401);
      expect((await w.api.request('/api/v1/outbox')).status).toBe(401);
    });

    it('lets a viewer read but not write', async () => {
      expect((await w.api.request('/api/v1/tags', { key: viewer })).status).toBe(200);
      const res = await w.api.request('/api/v1/tags', { method: 'POST', key: viewer, json: { name: 'x' } });
      expect(res.status).toBe(403);
      expect(
        (
          await w.api.request(`/api/v1/customers/${w.oa[0]!.customerId}/tags`, {
            method: 'POST',
            key: viewer,
            json: { tagIds: ['1'] },
          })
        ).status,
      ).toBe(403);
      expect((await w.api.request('/api/v1/outbox/1/retry', { method: 'POST', key: viewer })).status).toBe(403);
    });

    it('answers 404 for unknown or malformed ids', async () => {
      expect((await req('/api/v1/tags/999999')).status).toBe(404);
      expect((await req('/api/v1/tags/abc')).status).toBe(404);
      expect((await req('/api/v1/segments/77')).status).toBe(404);
      expect((await req('/api/v1/bulk-jobs/77')).status).toBe(404);
      expect((await req('/api/v1/outbox/77/retry', { method: 'POST' })).status).toBe(404);
      expect(
        (await req(`/api/v1/customers/${uuidv7()}/tags`, { method: 'POST', json: { tagIds: ['1'] } })).status,
      ).toBe(404);
    });

    it('explains invalid bodies with 422 and every problem', async () => {
      const res = await req('/api/v1/tags', {
        method: 'POST',
        json: { name: '', bindings: [{ channel: 'oa' }], extra: 1 },
      });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      const paths = res.body.error.details.problems.map((p: { path: string }) => p.path);
      expect(paths).toEqual(expect.arrayContaining(['name', 'bindings.0.appId']));
      const unknown = await req('/api/v1/tags', {
        method: 'POST',
        json: { name: 'u', bindings: [{ channel: 'oa', appId: 'wx-nowhere' }] },
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.message).toMatch(/no official-account account wx-nowhere/);
      const long = await req('/api/v1/tags', {
        method: 'POST',
        json: { name: '一二三四五六七八九十十一', bindings: [{ channel: 'oa', appId: w.appId }] },
      });
      expect(long.status).toBe(422);
      expect(long.body.error.message).toMatch(/30 bytes/);
      expect((await req('/api/v1/outbox?status=bogus')).status).toBe(400);
    });
  });

  it('manages groups and tags: create, list, rename, duplicate names, delete', async () => {
    const group = await req('/api/v1/tag-groups', { method: 'POST', json: { name: 'Lifecycle' } });
    expect(group.status).toBe(201);
    expect((await req('/api/v1/tag-groups', { method: 'POST', json: { name: 'Lifecycle' } })).status).toBe(409);
    const tag = await req('/api/v1/tags', {
      method: 'POST',
      json: { name: 'New', groupId: group.body.id, description: 'first order soon' },
    });
    expect(tag.status).toBe(201);
    expect(tag.body).toMatchObject({
      name: 'New',
      groupId: group.body.id,
      groupName: 'Lifecycle',
      createdBy: 'operator-key',
      bindings: [],
    });
    expect((await req('/api/v1/tags', { method: 'POST', json: { name: 'New', groupId: group.body.id } })).status).toBe(
      409,
    );
    expect((await req('/api/v1/tags', { method: 'POST', json: { name: 'New' } })).status).toBe(201);

    const listed = await req(`/api/v1/tags?groupId=${group.body.id}`);
    expect(listed.body.items.map((t: { name: string }) => t.name)).toEqual(['New']);
    const patched = await req(`/api/v1/tags/${tag.body.id}`, {
      method: 'PATCH',
      json: { name: 'Newcomer', bindings: [{ channel: 'wecom', corpId: w.corpId }] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.bindings).toEqual([
      expect.objectContaining({
        channel: 'wecom',
        account: w.corpId,
        remoteName: 'Newcomer',
        remoteGroupName: 'Lifecycle',
        status: 'pending',
      }),
    ]);
    expect((await req(`/api/v1/tag-groups/${group.body.id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await req(`/api/v1/tags/${tag.body.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await req(`/api/v1/tags/${tag.body.id}`)).status).toBe(404);
    expect(
      (await req(`/api/v1/tag-groups/${group.body.id}`, { method: 'PATCH', json: { name: 'Stages' } })).body.name,
    ).toBe('Stages');
    expect((await req(`/api/v1/tag-groups/${group.body.id}`, { method: 'DELETE' })).status).toBe(204);
    const audit = await w.api.request('/api/v1/audit?targetType=tag', { key: await w.api.key('admin') });
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['tag.create', 'tag.update', 'tag.delete']),
    );
  });

  it('tags one customer by hand, follows merges, and records who did it', async () => {
    const tag = (await req('/api/v1/tags', { method: 'POST', json: { name: 'Hand' } })).body;
    const survivor = w.oa[0]!.customerId;
    const merged = uuidv7();
    await insertIgnore(db.ds, 'customers', [
      { id: merged, status: 'merged', merged_into_id: survivor, created_at: new Date(), updated_at: new Date() },
    ]);
    const bad = await req(`/api/v1/customers/${survivor}/tags`, { method: 'POST', json: { tagIds: 'x' } });
    expect(bad.status).toBe(422);
    expect(
      (await req(`/api/v1/customers/${survivor}/tags`, { method: 'POST', json: { tagIds: ['9999999'] } })).status,
    ).toBe(404);
    const added = await req(`/api/v1/customers/${merged}/tags`, { method: 'POST', json: { tagIds: [tag.id] } });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({
      customerId: survivor,
      tags: [{ id: tag.id, name: 'Hand', source: 'manual', groupName: null }],
    });
    const removed = await req(`/api/v1/customers/${survivor}/tags/${tag.id}`, { method: 'DELETE' });
    expect(removed.body).toEqual({ customerId: survivor, tags: [], keptBy: [] });
    const audit = await w.api.request(`/api/v1/audit?targetType=customer&targetId=${survivor}`, {
      key: await w.api.key('admin', 'admin-2'),
    });
    expect(audit.body.items.map((a: { action: string; actor: string }) => `${a.actor}:${a.action}`)).toEqual([
      'operator-key:customer.tags.remove',
      'operator-key:customer.tags.add',
    ]);
  });

  it('assigns by ids (reporting unknown ids) and by a customers-list filter, inline or as a job with progress', async () => {
    const tag = (
      await req('/api/v1/tags', {
        method: 'POST',
        json: { name: 'Bulk', bindings: [{ channel: 'oa', appId: w.appId }] },
      })
    ).body;
    const ghost = uuidv7();
    const byIds = await req(`/api/v1/tags/${tag.id}/assign`, {
      method: 'POST',
      json: { customerIds: [w.oa[0]!.customerId, w.oa[0]!.customerId, ghost] },
    });
    expect(byIds.body).toEqual({ requested: 2, matched: 1, changed: 1, unchanged: 0, missing: [ghost] });
    expect(
      (await req(`/api/v1/tags/${tag.id}/assign`, { method: 'POST', json: { customerIds: [], filter: {} } })).status,
    ).toBe(422);
    expect(
      (await req(`/api/v1/tags/${tag.id}/assign`, { method: 'POST', json: { filter: { channel: 'fax' } } })).status,
    ).toBe(400);

    const inline = await req(`/api/v1/tags/${tag.id}/assign`, { method: 'POST', json: { filter: { channel: 'oa' } } });
    expect(inline.status).toBe(200);
    expect(inline.body).toEqual({ matched: w.oa.length, changed: w.oa.length - 1, unchanged: 1 });
    await drainAll(w);
    const remote = (await req(`/api/v1/tags/${tag.id}`)).body.bindings[0];
    expect(oaMembers(w, remote.remoteTagId).size).toBe(w.oa.length);

    const now = new Date();
    const many = Array.from({ length: 2_100 }, (_, i) => ({
      id: uuidv7(),
      status: 'active',
      display_name: `bulk-${String(i).padStart(4, '0')}`,
      created_at: now,
      updated_at: now,
    }));
    await insertIgnore(db.ds, 'customers', many);
    const queued = await req(`/api/v1/tags/${tag.id}/assign`, { method: 'POST', json: { filter: { q: 'bulk-' } } });
    expect(queued.status).toBe(202);
    expect(queued.body.total).toBe(2_100);
    const before = await req(`/api/v1/bulk-jobs/${queued.body.jobId}`, { key: viewer });
    expect(before.body).toMatchObject({ kind: 'tags.assign', status: 'queued', processed: 0 });
    while (await w.workers.jobs.runNext());
    const after = await req(`/api/v1/bulk-jobs/${queued.body.jobId}`);
    expect(after.body).toMatchObject({
      status: 'done',
      processed: 2_100,
      total: 2_100,
      percent: 100,
      result: { matched: 2_100, changed: 2_100, unchanged: 0 },
    });
    const detail = (await req(`/api/v1/tags/${tag.id}`)).body;
    expect(detail.customers).toBe(w.oa.length + 2_100);
    expect(detail.bySource).toEqual({ manual: w.oa.length + 2_100 });

    const un = await req(`/api/v1/tags/${tag.id}/unassign`, { method: 'POST', json: { filter: { channel: 'oa' } } });
    expect(un.body).toEqual({ matched: w.oa.length, changed: w.oa.length, unchanged: 0 });
    await drainAll(w);
    expect(oaMembers(w, remote.remoteTagId).size).toBe(0);
  });

  it('pushes existing members to a binding added later, and removes a deleted tag from WeChat', async () => {
    const tag = (await req('/api/v1/tags', { method: 'POST', json: { name: 'Late' } })).body;
    const ids = w.oa.slice(0, 5).map((o) => o.customerId);
    await req(`/api/v1/tags/${tag.id}/assign`, { method: 'POST', json: { customerIds: ids } });
    await req(`/api/v1/tags/${tag.id}`, {
      method: 'PATCH',
      json: { bindings: [{ channel: 'oa', appId: w.appId, name: 'Late OA' }] },
    });
    while (await w.workers.jobs.runNext());
    await drainAll(w);
    const binding = (await req(`/api/v1/tags/${tag.id}`)).body.bindings[0];
    expect(binding).toMatchObject({
      remoteName: 'Late OA',
      status: 'bound',
      stats: { desired: 5, pushed: 5, pending: 0 },
    });
    expect(oaMembers(w, binding.remoteTagId)).toEqual(new Set(w.oa.slice(0, 5).map((o) => o.openid)));
    const renamed = await req(`/api/v1/tags/${tag.id}`, {
      method: 'PATCH',
      json: { bindings: [{ channel: 'oa', appId: w.appId, name: 'Other' }] },
    });
    expect(renamed.status).toBe(422);

    const deleted = await req(`/api/v1/tags/${tag.id}`, { method: 'DELETE' });
    expect(deleted.body).toMatchObject({ deleted: true, queued: { oaRemoves: 5 } });
    await drainAll(w);
    expect(oaMembers(w, binding.remoteTagId).size).toBe(0);
  });
});
