import { MAX_ATTEMPTS } from '../../src/tags/outbox/push-errors';
import { openDatabase } from '../../src/storage/data-source';
import { createClients } from '../../src/tokens/clients';
import { tagWorkers } from '../../src/tags/tags-services.factory';
import { OutboxWriter } from '../../src/tags/outbox/outbox-writer';
import { testDialect, useTestDatabase } from '../helpers/describe-db';
import { drainAll, oaMembers, relationTags, startTagsWorld, type TagsWorld } from '../tags/tags-world';

interface Binding {
  channel: string;
  remoteTagId: string | null;
  status: string;
  error: string | null;
  stats: { desired: number; pushed: number; pending: number; failed: number; drifted: number };
}

async function setup(w: TagsWorld): Promise<{
  operator: string;
  createTag(name: string, bindings?: unknown[]): Promise<string>;
  detail(id: string): Promise<{ oa: Binding; wecom: Binding }>;
}> {
  const operator = await w.api.key('operator', `op-${Math.random()}`);
  return {
    operator,
    async createTag(
      name,
      bindings = [
        { channel: 'oa', appId: w.appId },
        { channel: 'wecom', corpId: w.corpId, groupName: 'Siyu' },
      ],
    ) {
      const res = await w.api.request('/api/v1/tags', { method: 'POST', key: operator, json: { name, bindings } });
      expect(res.status).toBe(201);
      return res.body.id as string;
    },
    async detail(id) {
      const body = (await w.api.request(`/api/v1/tags/${id}`, { key: operator })).body as { bindings: Binding[] };
      return {
        oa: body.bindings.find((b) => b.channel === 'oa')!,
        wecom: body.bindings.find((b) => b.channel === 'wecom')!,
      };
    },
  };
}

const ok = (r: { errcode: number | undefined }): boolean => r.errcode === undefined || r.errcode === 0;

describe('tags pushed to the emulator', () => {
  const db = useTestDatabase();
  let w: TagsWorld;
  let t: Awaited<ReturnType<typeof setup>>;

  beforeAll(async () => {
    w = await startTagsWorld(db);
    t = await setup(w);
  });
  afterAll(async () => {
    await w?.close();
  });

  const assign = async (tagId: string, customerIds: string[], op: 'assign' | 'unassign' = 'assign') => {
    const res = await w.api.request(`/api/v1/tags/${tagId}/${op}`, {
      method: 'POST',
      key: t.operator,
      json: { customerIds },
    });
    expect(res.status).toBe(200);
    return res.body;
  };

  it('creates the remote tags on first use and pushes one assignment to OA and to every WeCom relation', async () => {
    const tagId = await t.createTag('VIP');
    const person = w.wecom.find((c) => c.relations.length > 1 && w.oa.some((o) => o.customerId === c.customerId))!;
    expect(person).toBeDefined();
    const res = await w.api.request(`/api/v1/customers/${person.customerId}/tags`, {
      method: 'POST',
      key: t.operator,
      json: { tagIds: [tagId] },
    });
    expect(res.status).toBe(200);
    expect(res.body.tags).toEqual([{ id: tagId, name: 'VIP', source: 'manual', groupName: null }]);

    await drainAll(w);
    const { oa, wecom } = await t.detail(tagId);
    expect([oa.status, wecom.status]).toEqual(['bound', 'bound']);
    for (const r of person.relations)
      expect(relationTags(w, r.userid, person.externalUserid)).toEqual([wecom.remoteTagId]);
    expect(oaMembers(w, oa.remoteTagId)).toEqual(
      new Set([w.oa.find((o) => o.customerId === person.customerId)!.openid]),
    );
    expect(wecom.stats).toMatchObject({
      desired: person.relations.length,
      pushed: person.relations.length,
      pending: 0,
      failed: 0,
    });
    expect(oa.stats).toMatchObject({ desired: 1, pushed: 1, pending: 0 });
  });

  it('batches OA openids 50 per call and coalesces WeCom changes into one mark_tag per relation', async () => {
    const a = await t.createTag('Batch A');
    const b = await t.createTag('Batch B');
    const since = w.emulator.state.recorder.list().at(-1)?.seq ?? 0;
    const oaIds = w.oa.map((o) => o.customerId);
    const wecomIds = w.wecom.map((c) => c.customerId);
    await assign(a, oaIds);
    await assign(b, oaIds);
    await assign(a, wecomIds);
    await assign(b, wecomIds);
    await drainAll(w);

    const calls = w.emulator.state.recorder.list({ since });
    const tagging = calls.filter((r) => r.path.endsWith('/batchtagging'));
    expect(tagging.every(ok)).toBe(true);
    expect(tagging).toHaveLength(2 * Math.ceil(w.oa.length / 50));
    const marks = calls.filter((r) => r.path.endsWith('/mark_tag'));
    const relations = w.wecom.reduce((n, c) => n + c.relations.length, 0);
    expect(marks).toHaveLength(relations);
    expect(marks.every((m) => (m.body as { add_tag: string[] }).add_tag.length === 2)).toBe(true);

    const [da, db2] = [await t.detail(a), await t.detail(b)];
    expect(oaMembers(w, da.oa.remoteTagId)).toEqual(new Set(w.oa.map((o) => o.openid)));
    expect(oaMembers(w, db2.oa.remoteTagId).size).toBe(w.oa.length);
    for (const c of w.wecom)
      for (const r of c.relations)
        expect(relationTags(w, r.userid, c.externalUserid)).toEqual(
          expect.arrayContaining([da.wecom.remoteTagId, db2.wecom.remoteTagId]),
        );
  });

  it('sends an add and a remove of one relation in a single call, and pushes nothing for a change undone before the push', async () => {
    const a = await t.createTag('Swap A', [{ channel: 'wecom', corpId: w.corpId }]);
    const b = await t.createTag('Swap B', [{ channel: 'wecom', corpId: w.corpId }]);
    const c = await t.createTag('Undone', [
      { channel: 'oa', appId: w.appId },
      { channel: 'wecom', corpId: w.corpId },
    ]);
    const person = w.wecom.find((x) => x.relations.length === 1)!;
    await assign(a, [person.customerId]);
    await drainAll(w);
    const since = w.emulator.state.recorder.list().at(-1)?.seq ?? 0;
    await assign(a, [person.customerId], 'unassign');
    await assign(b, [person.customerId]);
    await assign(c, [person.customerId]);
    await assign(c, [person.customerId], 'unassign');
    await drainAll(w);
    const marks = w.emulator.state.recorder.list({ since, path: '/mark_tag' });
    const [da, dbb, dc] = [await t.detail(a), await t.detail(b), await t.detail(c)];
    expect(marks).toHaveLength(1);
    expect(marks[0]!.body).toMatchObject({
      userid: person.relations[0]!.userid,
      external_userid: person.externalUserid,
      remove_tag: [da.wecom.remoteTagId],
    });
    expect((marks[0]!.body as { add_tag: string[] }).add_tag).toEqual([dbb.wecom.remoteTagId]);
    expect(w.emulator.state.recorder.list({ since, path: '/batchtagging' })).toHaveLength(0);
    expect(relationTags(w, person.relations[0]!.userid, person.externalUserid)).toEqual(
      expect.not.arrayContaining([da.wecom.remoteTagId, dc.wecom.remoteTagId]),
    );
  });

  it('removes an unassigned tag from WeChat and keeps it while a rule still wants it', async () => {
    const tagId = await t.createTag('Removable');
    const [one, two] = w.oa;
    await assign(tagId, [one!.customerId, two!.customerId]);
    await db.ds.query(
      "INSERT INTO customer_tags (customer_id, tag_id, source, created_at) VALUES (?, ?, 'rule', '2026-01-01 00:00:00.000')",
      [two!.customerId, tagId],
    );
    await drainAll(w);
    const body = await assign(tagId, [one!.customerId, two!.customerId], 'unassign');
    expect(body).toMatchObject({ matched: 2, changed: 2, stillTagged: 1 });
    await drainAll(w);
    const { oa } = await t.detail(tagId);
    expect(oaMembers(w, oa.remoteTagId)).toEqual(new Set([two!.openid]));
  });

  it('adopts remote tags that already carry the name', async () => {
    const existingOa = w.emulator.state.world.oa[0]!.tags.create('Adopted');
    const corp = w.emulator.state.world.wecom[0]!;
    const existing = corp.tags.add({ groupName: 'Legacy' }, [{ name: 'Adopted' }], 0).created[0]!;
    const tagId = await t.createTag('Adopted', [
      { channel: 'oa', appId: w.appId },
      { channel: 'wecom', corpId: w.corpId, groupName: 'Legacy' },
    ]);
    await assign(tagId, [w.oa[3]!.customerId, w.wecom[3]!.customerId]);
    await drainAll(w);
    const { oa, wecom } = await t.detail(tagId);
    expect(oa.remoteTagId).toBe(String(existingOa.id));
    expect(wecom.remoteTagId).toBe(existing.id);
    expect(oaMembers(w, oa.remoteTagId).has(w.oa[3]!.openid)).toBe(true);
  });

  it('survives injected -1 and rate limits: nothing lost, nothing pushed twice, retries counted', async () => {
    const tagId = await t.createTag('Chaos');
    w.emulator.state.chaos.set({
      seed: 3,
      latencyMs: 0,
      rules: [
        { api: 'api.weixin.qq.com/cgi-bin/tags/*', errcode: -1, rate: 0.3 },
        { api: 'api.weixin.qq.com/cgi-bin/tags/*', errcode: 'rate_limit', rate: 0.2 },
        { api: 'qyapi.weixin.qq.com/cgi-bin/externalcontact/*', errcode: -1, rate: 0.3 },
        { api: 'qyapi.weixin.qq.com/cgi-bin/externalcontact/*', errcode: 'rate_limit', rate: 0.2 },
      ],
    });
    const since = w.emulator.state.recorder.list().at(-1)?.seq ?? 0;
    const retriesBefore = w.workers.pusher.stats.retries;
    try {
      await assign(tagId, [...w.oa.map((o) => o.customerId), ...w.wecom.map((c) => c.customerId)]);
      await drainAll(w, 80);
    } finally {
      w.emulator.state.chaos.set({ seed: 1, rules: [], latencyMs: 0 });
    }
    expect(w.emulator.state.chaos.injected).toBe(0);
    const { oa, wecom } = await t.detail(tagId);
    expect(oaMembers(w, oa.remoteTagId)).toEqual(new Set(w.oa.map((o) => o.openid)));
    for (const c of w.wecom)
      for (const r of c.relations) expect(relationTags(w, r.userid, c.externalUserid)).toContain(wecom.remoteTagId);

    const calls = w.emulator.state.recorder.list({ since });
    const failed = calls.filter((r) => !ok(r) && (r.path.endsWith('/batchtagging') || r.path.endsWith('/mark_tag')));
    expect(failed.length).toBeGreaterThan(0);
    expect(w.workers.pusher.stats.retries - retriesBefore).toBeGreaterThan(0);
    const pushedOpenids = calls
      .filter((r) => r.path.endsWith('/batchtagging') && ok(r))
      .flatMap((r) => (r.body as { openid_list: string[] }).openid_list);
    expect(pushedOpenids.length).toBe(new Set(pushedOpenids).size);
    const pushedRelations = calls
      .filter((r) => r.path.endsWith('/mark_tag') && ok(r))
      .map(
        (r) => `${(r.body as { userid: string }).userid}|${(r.body as { external_userid: string }).external_userid}`,
      );
    expect(pushedRelations.length).toBe(new Set(pushedRelations).size);
    expect(oa.stats.pending + wecom.stats.pending).toBe(0);
  });

  it('gives up on a limit after the attempt cap and reports it on the row', async () => {
    const tagId = await t.createTag('Capped', [{ channel: 'wecom', corpId: w.corpId }]);
    const person = w.wecom.find((x) => x.relations.length === 1)!;
    await assign(tagId, [person.customerId]);
    await drainAll(w); // binds the tag
    const other = await t.createTag('Capped 2', [{ channel: 'wecom', corpId: w.corpId }]);
    await w.workers.pusher.drain();
    w.emulator.state.chaos.set({
      seed: 1,
      latencyMs: 0,
      rules: [{ api: 'qyapi.weixin.qq.com/cgi-bin/externalcontact/mark_tag', errcode: 'rate_limit', rate: 1 }],
    });
    try {
      await assign(other, [person.customerId]);
      await drainAll(w, MAX_ATTEMPTS + 5);
    } finally {
      w.emulator.state.chaos.set({ seed: 1, rules: [], latencyMs: 0 });
    }
    const dead = (await w.api.request('/api/v1/outbox?status=dead&channel=wecom', { key: t.operator })).body.items;
    const row = dead.find((r: { opKey: string }) =>
      r.opKey.endsWith(`:${person.relations[0]!.userid}:${person.externalUserid}`),
    );
    expect(row).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS, lastErrcode: 45009 });

    const retried = await w.api.request(`/api/v1/outbox/${row.id}/retry`, { method: 'POST', key: t.operator });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0, lastErrcode: null });
    await drainAll(w);
    const d = await t.detail(other);
    expect(relationTags(w, person.relations[0]!.userid, person.externalUserid)).toContain(d.wecom.remoteTagId);
  });

  it('untags an erased customer everywhere WeChat holds the tag (queued before the identities go)', async () => {
    const tagId = await t.createTag('Erased');
    const person = w.wecom.find(
      (c) => c.relations.length > 1 && w.oa.some((o) => o.customerId === c.customerId) && c !== w.wecom[0],
    )!;
    await assign(tagId, [person.customerId]);
    await drainAll(w);
    const { oa, wecom } = await t.detail(tagId);
    const openid = w.oa.find((o) => o.customerId === person.customerId)!.openid;
    expect(oaMembers(w, oa.remoteTagId).has(openid)).toBe(true);
    await db.ds.transaction(async (m) => {
      await new OutboxWriter('all').enqueueCustomerErasure(m, person.customerId, new Date(w.now()));
      for (const table of ['identities', 'wecom_follows', 'customer_tags', 'oa_subscriptions'])
        await m.query(`DELETE FROM ${table} WHERE customer_id = ?`, [person.customerId]);
      await m.query("UPDATE customers SET status = 'erased' WHERE id = ?", [person.customerId]);
    });
    await drainAll(w);
    expect(oaMembers(w, oa.remoteTagId).has(openid)).toBe(false);
    for (const r of person.relations)
      expect(relationTags(w, r.userid, person.externalUserid)).not.toContain(wecom.remoteTagId);
  });
});

describe('limits WeChat reports are recorded, not retried', () => {
  const db = useTestDatabase();
  let w: TagsWorld;
  let t: Awaited<ReturnType<typeof setup>>;

  beforeAll(async () => {
    w = await startTagsWorld(db, { world: { seed: 11 } });
    t = await setup(w);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('splits a user at the 20-tag limit (45059) out of the batch; the others are tagged', async () => {
    const aud = w.emulator.state.world.oa[0]!;
    const full = w.oa[5]!;
    const slot = aud.slotOf(full.openid);
    for (let i = 0; i < 20; i++) aud.tags.tagSlots(aud.tags.create(`full-${i}`).id, [slot]);
    const tagId = await t.createTag('Twenty-first', [{ channel: 'oa', appId: w.appId }]);
    const res = await w.api.request(`/api/v1/tags/${tagId}/assign`, {
      method: 'POST',
      key: t.operator,
      json: { customerIds: w.oa.slice(0, 10).map((o) => o.customerId) },
    });
    expect(res.body).toMatchObject({ matched: 10, changed: 10 });
    await drainAll(w);

    const { oa } = await t.detail(tagId);
    const members = oaMembers(w, oa.remoteTagId);
    expect(members.size).toBe(9);
    expect(members.has(full.openid)).toBe(false);
    expect(oa.stats).toMatchObject({ desired: 10, pushed: 9, failed: 1, pending: 0 });
    const dead = (await w.api.request(`/api/v1/outbox?status=dead&tagId=${tagId}`, { key: t.operator })).body.items;
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      lastErrcode: 45059,
      attempts: 0,
      payload: { op: 'add', openids: [full.openid], failed: [full.openid] },
    });

    // Not retried on its own: another drain and a re-assignment leave it alone.
    const since = w.emulator.state.recorder.list().at(-1)?.seq ?? 0;
    await w.api.request(`/api/v1/tags/${tagId}/assign`, {
      method: 'POST',
      key: t.operator,
      json: { customerIds: [full.customerId] },
    });
    await drainAll(w);
    expect(w.emulator.state.recorder.list({ since, path: '/batchtagging' })).toHaveLength(0);

    // Freed a slot in WeChat, then retried by hand: pushed.
    aud.tags.untagSlots(aud.tags.tags.get(aud.tags.tagsOf(slot)[0]!)!.id, [slot]);
    expect(
      (await w.api.request(`/api/v1/outbox/${dead[0].id}/retry`, { method: 'POST', key: t.operator })).status,
    ).toBe(200);
    await drainAll(w);
    expect(oaMembers(w, oa.remoteTagId).has(full.openid)).toBe(true);
    expect((await t.detail(tagId)).oa.stats).toMatchObject({ pushed: 10, failed: 0 });
  });

  it('untagging someone who unfollowed meanwhile (40003) leaves no dead row; the rest of the batch is untagged', async () => {
    const tagId = await t.createTag('Churn', [{ channel: 'oa', appId: w.appId }]);
    const five = w.oa.slice(10, 15).map((o) => o.customerId);
    await w.api.request(`/api/v1/tags/${tagId}/assign`, {
      method: 'POST',
      key: t.operator,
      json: { customerIds: five },
    });
    await drainAll(w);
    const aud = w.emulator.state.world.oa[0]!;
    aud.unsubscribe(aud.slotOf(w.oa[12]!.openid));
    await w.api.request(`/api/v1/tags/${tagId}/unassign`, {
      method: 'POST',
      key: t.operator,
      json: { customerIds: five },
    });
    await drainAll(w);
    const { oa } = await t.detail(tagId);
    expect(oaMembers(w, oa.remoteTagId).size).toBe(0);
    expect(oa.stats).toMatchObject({ pending: 0, failed: 0 });
    expect((await w.api.request(`/api/v1/outbox?status=dead&tagId=${tagId}`, { key: t.operator })).body.items).toEqual(
      [],
    );
  });

  it('fails the binding at the 100-tag account limit (45056) and marks the rows dead once', async () => {
    const aud = w.emulator.state.world.oa[0]!;
    for (let i = 0; aud.tags.tags.size < 101; i++) aud.tags.create(`filler-${i}`);
    const tagId = await t.createTag('One too many', [{ channel: 'oa', appId: w.appId }]);
    await w.api.request(`/api/v1/tags/${tagId}/assign`, {
      method: 'POST',
      key: t.operator,
      json: { customerIds: [w.oa[1]!.customerId] },
    });
    const since = w.emulator.state.recorder.list().at(-1)?.seq ?? 0;
    await drainAll(w);
    await drainAll(w);
    expect(w.emulator.state.recorder.list({ since, path: '/tags/create' })).toHaveLength(1);
    const { oa } = await t.detail(tagId);
    expect(oa).toMatchObject({ status: 'failed', remoteTagId: null });
    expect(oa.error).toMatch(/45056/);
    const dead = (await w.api.request(`/api/v1/outbox?status=dead&tagId=${tagId}`, { key: t.operator })).body.items;
    expect(dead).toEqual([expect.objectContaining({ lastErrcode: 45056, attempts: 1 })]);
  });

  it('marks a push to a relation that no longer exists (84061) dead', async () => {
    const tagId = await t.createTag('Gone', [{ channel: 'wecom', corpId: w.corpId }]);
    const person = w.wecom.find((x) => x.relations.length === 1)!;
    const corp = w.emulator.state.world.wecom[0]!;
    corp.removeRelation(corp.relationsBySlot[corp.slotOf(person.externalUserid)]![0]!);
    await w.api.request(`/api/v1/tags/${tagId}/assign`, {
      method: 'POST',
      key: t.operator,
      json: { customerIds: [person.customerId] },
    });
    await drainAll(w);
    const dead = (await w.api.request('/api/v1/outbox?status=dead&channel=wecom', { key: t.operator })).body.items;
    expect(dead[0]).toMatchObject({
      lastErrcode: 84061,
      attempts: 1,
      payload: { userid: person.relations[0]!.userid, externalUserid: person.externalUserid },
    });
    expect((await t.detail(tagId)).wecom.stats.failed).toBe(1);
  });

  it('refreshes an expired WeCom token once and pushes without an outbox retry', async () => {
    const tagId = await t.createTag('Token', [{ channel: 'wecom', corpId: w.corpId }]);
    await w.workers.pusher.drain();
    const person = w.wecom.find((x) => x.relations.length === 1 && x !== w.wecom[0])!;
    w.emulator.state.wecomTokens.invalidate(w.corpId, 'expired', w.emulator.state.now());
    const before = w.workers.pusher.stats.retries;
    await w.api.request(`/api/v1/tags/${tagId}/assign`, {
      method: 'POST',
      key: t.operator,
      json: { customerIds: [person.customerId] },
    });
    await w.workers.pusher.drain();
    expect(w.workers.pusher.stats.retries).toBe(before);
    const { wecom } = await t.detail(tagId);
    expect(relationTags(w, person.relations[0]!.userid, person.externalUserid)).toContain(wecom.remoteTagId);
  });
});

describe('WeCom fan-out and concurrency', () => {
  const db = useTestDatabase();
  let w: TagsWorld;
  let t: Awaited<ReturnType<typeof setup>>;

  beforeAll(async () => {
    w = await startTagsWorld(db, {
      world: { seed: 5, wecomContacts: 60, overlap: { multiFollow: 0.6 } },
      config: { tags: { wecomFanout: 'newest' } },
    });
    t = await setup(w);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('with wecomFanout newest tags only the most recent relation of each customer', async () => {
    const tagId = await t.createTag('Newest', [{ channel: 'wecom', corpId: w.corpId }]);
    const multi = w.wecom.filter((c) => c.relations.length > 1);
    expect(multi.length).toBeGreaterThan(3);
    await w.api.request(`/api/v1/tags/${tagId}/assign`, {
      method: 'POST',
      key: t.operator,
      json: { customerIds: multi.map((c) => c.customerId) },
    });
    await drainAll(w);
    const { wecom } = await t.detail(tagId);
    for (const c of multi) {
      const newest = [...c.relations].sort((a, b) => b.createtime - a.createtime)[0]!;
      for (const r of c.relations)
        expect(relationTags(w, r.userid, c.externalUserid).includes(wecom.remoteTagId!)).toBe(
          r === newest || r.createtime === newest.createtime,
        );
    }
    expect(wecom.stats).toMatchObject({ desired: multi.length, pushed: multi.length, pending: 0 });
  });

  it('keeps at most 5 mark_tag calls in flight per corp', async () => {
    const tagId = await t.createTag('Concurrent', [{ channel: 'wecom', corpId: w.corpId }]);
    await w.workers.pusher.drain();
    w.emulator.state.limiter.override('qyapi.weixin.qq.com/cgi-bin/externalcontact/mark_tag', { concurrency: 5 });
    w.emulator.state.chaos.set({ seed: 1, rules: [], latencyMs: 15 });
    const since = w.emulator.state.recorder.list().at(-1)?.seq ?? 0;
    try {
      await w.api.request(`/api/v1/tags/${tagId}/assign`, {
        method: 'POST',
        key: t.operator,
        json: { customerIds: w.wecom.map((c) => c.customerId) },
      });
      await w.workers.pusher.drain();
    } finally {
      w.emulator.state.chaos.set({ seed: 1, rules: [], latencyMs: 0 });
      w.emulator.state.limiter.clearOverrides();
    }
    const marks = w.emulator.state.recorder.list({ since, path: '/mark_tag' });
    expect(marks.length).toBe(w.wecom.length);
    expect(marks.filter((m) => m.errcode === 45033)).toHaveLength(0);
    // Overlap of [at, at + duration] intervals never exceeds 5.
    const edges = marks
      .flatMap((m) => [[m.at, 1] as const, [m.at + m.durationMs, -1] as const])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let inFlight = 0;
    let peak = 0;
    for (const [, d] of edges) peak = Math.max(peak, (inFlight += d));
    expect(peak).toBeLessThanOrEqual(5);
    expect(peak).toBeGreaterThan(1);
  });
});

describe('two gateway instances draining one outbox', () => {
  const db = useTestDatabase({ poolSize: 8 });
  let w: TagsWorld;
  let t: Awaited<ReturnType<typeof setup>>;
  let second: { ds: import('typeorm').DataSource; workers: ReturnType<typeof tagWorkers> } | undefined;
  let first: ReturnType<typeof tagWorkers>;

  beforeAll(async () => {
    w = await startTagsWorld(db, { world: { seed: 9, wecomContacts: 80 } });
    t = await setup(w);
    const ds = await openDatabase({ url: db.url, poolSize: 8 }, { migrate: false });
    const app = { ...w.api.app, ds };
    second = {
      ds,
      workers: tagWorkers(app, createClients(app, { now: w.now, http: { maxAttempts: 1 } }), { batchSize: 10 }),
    };
    first = tagWorkers(w.api.app, w.clients, { batchSize: 10 });
  });
  afterAll(async () => {
    await second?.ds.destroy();
    await w?.close();
  });

  // Several instances share one MySQL; a SQLite file serves one instance by design (DESIGN §3).
  (testDialect === 'mysql' ? it : it.skip)('claims disjoint rows: every subject is pushed exactly once', async () => {
    const tagId = await t.createTag('Shared');
    await w.api.request(`/api/v1/tags/${tagId}/assign`, {
      method: 'POST',
      key: t.operator,
      json: { customerIds: [...w.oa.map((o) => o.customerId), ...w.wecom.map((c) => c.customerId)] },
    });
    await w.workers.pusher.drain(); // binds the tag remotely and pushes the first round
    await w.api.request(`/api/v1/tags/${tagId}/unassign`, {
      method: 'POST',
      key: t.operator,
      json: { customerIds: w.wecom.map((c) => c.customerId) },
    });
    const since = w.emulator.state.recorder.list().at(-1)?.seq ?? 0;
    const [a, b] = await Promise.all([first.pusher.drain(), second!.workers.pusher.drain()]);
    expect(a.rowsDone).toBeGreaterThan(0);
    expect(b.rowsDone).toBeGreaterThan(0);
    const marks = w.emulator.state.recorder.list({ since, path: '/mark_tag' }).filter(ok);
    const keys = marks.map(
      (m) => `${(m.body as { userid: string }).userid}|${(m.body as { external_userid: string }).external_userid}`,
    );
    expect(keys.length).toBe(new Set(keys).size);
    const { wecom } = await t.detail(tagId);
    for (const c of w.wecom)
      for (const r of c.relations) expect(relationTags(w, r.userid, c.externalUserid)).not.toContain(wecom.remoteTagId);
  });

  it('stops calling an account once WeChat rate-limits it, and resumes after the window', async () => {
    const tagId = await t.createTag('Limited', [{ channel: 'wecom', corpId: w.corpId }]);
    await w.workers.pusher.drain();
    w.emulator.state.chaos.set({
      seed: 1,
      latencyMs: 0,
      rules: [{ api: 'qyapi.weixin.qq.com/cgi-bin/externalcontact/mark_tag', errcode: 'rate_limit', rate: 1 }],
    });
    const since = w.emulator.state.recorder.list().at(-1)?.seq ?? 0;
    try {
      await w.api.request(`/api/v1/tags/${tagId}/assign`, {
        method: 'POST',
        key: t.operator,
        json: { customerIds: w.wecom.map((c) => c.customerId) },
      });
      const s = await w.workers.pusher.drain();
      expect(s.deferred).toBeGreaterThan(0);
    } finally {
      w.emulator.state.chaos.set({ seed: 1, rules: [], latencyMs: 0 });
    }
    const limited = w.emulator.state.recorder.list({ since, path: '/mark_tag' });
    expect(limited.length).toBeLessThanOrEqual(5);
    expect(limited.every((r) => r.errcode === 45009)).toBe(true);
    await drainAll(w);
    const { wecom } = await t.detail(tagId);
    expect(wecom.stats).toMatchObject({ pending: 0, failed: 0 });
  });
});
