import { rebuildPurchaseFigures } from '../../src/storage/customers/purchase-figures.repository';
import { segmentsJob } from '../../src/jobs/segments.job';
import { silentLogger } from '../../src/logger';
import { idString, insertIgnore, select } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { drainAll, oaMembers, startTagsWorld, type TagsWorld } from '../tags/tags-world';

describe('segments', () => {
  const db = useTestDatabase();
  let w: TagsWorld;
  let operator: string;
  let tagId: string;
  const req = (path: string, init: Parameters<TagsWorld['api']['request']>[1] = {}) =>
    w.api.request(path, { key: operator, ...init });
  const buyers = () => w.oa.slice(0, 6);

  beforeAll(async () => {
    w = await startTagsWorld(db, { world: { seed: 31 } });
    operator = await w.api.key('operator');
    tagId = (
      await req('/api/v1/tags', {
        method: 'POST',
        json: { name: 'Big spender', bindings: [{ channel: 'oa', appId: w.appId }] },
      })
    ).body.id;
    const t = new Date(w.now() - 5 * 86_400_000);
    await insertIgnore(
      db.ds,
      'transactions',
      buyers().map((b, i) => ({
        mch_id: 'm',
        out_trade_no: `o${i}`,
        amount_total: 10_000 * (i + 1),
        currency: 'CNY',
        state: 'SUCCESS',
        customer_id: b.customerId,
        success_time: t,
        refunded_total: 0,
        created_at: t,
        updated_at: t,
      })),
    );
    // Fixtures write transactions directly; the writers keep the purchase figures, so the fixture recomputes them.
    await rebuildPurchaseFigures(db.ds);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('rejects a bad rule with 422 and every problem, an unknown tag, and a second segment for one tag', async () => {
    expect((await w.api.request('/api/v1/segments', { method: 'POST', json: {} })).status).toBe(401);
    const bad = await req('/api/v1/segments', {
      method: 'POST',
      json: { name: 'x', tagId, rule: { all: [{ type: 'spend' }, { type: 'bogus' }] }, schedule: 'every day' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.problems.map((p: { path: string }) => p.path)).toEqual([
      'schedule',
      'rule.all[0]',
      'rule.all[1].type',
    ]);
    expect(
      (
        await req('/api/v1/segments', {
          method: 'POST',
          json: { name: 'x', tagId: '999999', rule: { type: 'subscribed' } },
        })
      ).status,
    ).toBe(422);
    expect(
      (await req('/api/v1/segments', { method: 'POST', json: { name: 'x', tagId, rule: { type: 'tag', tagId } } })).body
        .error.message,
    ).toMatch(/own tag/);
  });

  it('rejects a source condition naming no channel with 422 naming the field, on create, patch and preview', async () => {
    const t = new Date(w.now());
    await insertIgnore(db.ds, 'channels', [
      {
        name: '门店海报',
        kind: 'oa-qrcode',
        account_id: w.appId,
        code: 'ch_segments_test',
        permanent: true,
        skip_verify: false,
        tag_ids: '[]',
        created_at: t,
        updated_at: t,
      },
    ]);
    const [known] = await select(db.ds, "SELECT id FROM channels WHERE code = 'ch_segments_test'");
    const channelId = idString(known!.id);
    const sourceTag = (await req('/api/v1/tags', { method: 'POST', json: { name: 'Came by poster' } })).body.id;
    const unknownRule = { all: [{ type: 'subscribed' }, { type: 'source', channelId: '987654321', withinDays: 7 }] };
    const expectUnknown = (r: { status: number; body: any }) => {
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.message).toBe('rule.all[1].channelId: channel 987654321 does not exist');
      expect(r.body.error.details.problems).toEqual([
        { path: 'rule.all[1].channelId', message: 'channel 987654321 does not exist' },
      ]);
    };

    expectUnknown(
      await req('/api/v1/segments', {
        method: 'POST',
        json: { name: 'By poster', tagId: sourceTag, rule: unknownRule },
      }),
    );
    expectUnknown(await req('/api/v1/segments/preview', { method: 'POST', json: { rule: unknownRule } }));

    const ok = await req('/api/v1/segments', {
      method: 'POST',
      json: { name: 'By poster', tagId: sourceTag, rule: { type: 'source', channelId, withinDays: 7 } },
    });
    expect(ok.status).toBe(201);
    expectUnknown(await req(`/api/v1/segments/${ok.body.id}`, { method: 'PATCH', json: { rule: unknownRule } }));
    expectUnknown(await req(`/api/v1/segments/${ok.body.id}/preview`, { method: 'POST', json: { rule: unknownRule } }));
    expect((await req(`/api/v1/segments/${ok.body.id}/preview`, { method: 'POST', json: {} })).status).toBe(200);
    // Nothing half-written: the saved rule is the good one.
    expect((await req(`/api/v1/segments/${ok.body.id}`)).body.rule).toEqual({
      type: 'source',
      channelId,
      withinDays: 7,
    });
    expect((await req(`/api/v1/segments/${ok.body.id}`, { method: 'DELETE' })).status).toBe(200);
  });

  it('previews, runs into rule assignments that push to WeChat, and removes customers who leave', async () => {
    const created = await req('/api/v1/segments', {
      method: 'POST',
      json: {
        name: 'Spent 300+',
        tagId,
        rule: { all: [{ type: 'subscribed' }, { type: 'spend', minFen: 30_000 }] },
        schedule: '0 3 * * *',
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(
      (await req('/api/v1/segments', { method: 'POST', json: { name: 'again', tagId, rule: { type: 'subscribed' } } }))
        .status,
    ).toBe(409);

    const preview = await req(`/api/v1/segments/${id}/preview`, { method: 'POST' });
    expect(preview.body.count).toBe(4);
    expect(preview.body.sample.map((s: { id: string }) => s.id).sort()).toEqual(
      buyers()
        .slice(2)
        .map((b) => b.customerId)
        .sort(),
    );
    // Each sampled customer by the best name known (as the customer list), never the bare id.
    for (const s of preview.body.sample as { id: string; name: string; nameSource: string }[]) {
      expect(s.nameSource).not.toBe('id');
      expect(s.name).not.toContain(s.id);
    }
    const draft = await req(`/api/v1/segments/${id}/preview`, {
      method: 'POST',
      json: { rule: { type: 'spend', minFen: 50_000 } },
    });
    expect(draft.body.count).toBe(2);
    expect(
      (await req(`/api/v1/segments/${id}/preview`, { method: 'POST', json: { rule: { type: 'x' } } })).status,
    ).toBe(422);
    // A segment not saved yet (the console's builder counts it as it is written): same answer, same validation.
    const unsaved = await req('/api/v1/segments/preview', {
      method: 'POST',
      json: { rule: { type: 'spend', minFen: 50_000 } },
    });
    expect(unsaved.body).toEqual(draft.body);
    expect((await req('/api/v1/segments/preview', { method: 'POST', json: {} })).status).toBe(422);
    expect((await req('/api/v1/segments/preview', { method: 'POST', json: { rule: { all: [] } } })).status).toBe(422);

    const manual = buyers()[5]!;
    await req(`/api/v1/customers/${manual.customerId}/tags`, { method: 'POST', json: { tagIds: [tagId] } });
    const run = await req(`/api/v1/segments/${id}/run`, { method: 'POST' });
    expect(run.status).toBe(200);
    expect(run.body.result).toMatchObject({ added: 4, removed: 0, members: 4 });
    await drainAll(w);
    const remote = (await req(`/api/v1/tags/${tagId}`)).body;
    expect(remote.bySource).toEqual({ manual: 1, rule: 4 });
    expect(oaMembers(w, remote.bindings[0].remoteTagId)).toEqual(
      new Set(
        buyers()
          .slice(2)
          .map((b) => b.openid),
      ),
    );

    // Tighten the rule: two customers leave; the manual assignment of the one who also leaves keeps its tag.
    expect(
      (
        await req(`/api/v1/segments/${id}`, {
          method: 'PATCH',
          json: { rule: { all: [{ type: 'subscribed' }, { type: 'spend', minFen: 50_000 }] } },
        })
      ).status,
    ).toBe(200);
    const again = await req(`/api/v1/segments/${id}/run`, { method: 'POST' });
    expect(again.body.result).toMatchObject({ added: 0, removed: 2, members: 2 });
    await drainAll(w);
    expect(oaMembers(w, remote.bindings[0].remoteTagId)).toEqual(
      new Set(
        buyers()
          .slice(4)
          .map((b) => b.openid),
      ),
    );
    const seg = (await req(`/api/v1/segments/${id}`)).body;
    expect(seg).toMatchObject({ lastCount: 2, lastError: null, schedule: '0 3 * * *', enabled: true });
    const audit = await w.api.request(`/api/v1/audit?targetType=segment&targetId=${id}`, {
      key: await w.api.key('admin'),
    });
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual([
      'segment.run',
      'segment.update',
      'segment.run',
      'segment.create',
    ]);
  });

  it('runs due segments from the scheduled job, once per slot', async () => {
    const other = (await req('/api/v1/tags', { method: 'POST', json: { name: 'Subscribers' } })).body.id;
    const seg = (
      await req('/api/v1/segments', {
        method: 'POST',
        json: { name: 'Subscribers', tagId: other, rule: { type: 'subscribed' }, schedule: '*/5 * * * *' },
      })
    ).body;
    const ctx = { app: w.api.app, signal: new AbortController().signal, logger: silentLogger(), slot: 'test' };
    w.advance(6 * 60_000);
    await segmentsJob.run(ctx);
    const first = (await req(`/api/v1/segments/${seg.id}`)).body;
    expect(first.lastCount).toBe(w.oa.length);
    await segmentsJob.run(ctx);
    expect((await req(`/api/v1/segments/${seg.id}`)).body.lastRunAt).toBe(first.lastRunAt);
    const unscheduled = (await req('/api/v1/segments')).body.items.find(
      (s: { name: string }) => s.name === 'Spent 300+',
    );
    expect(unscheduled.lastCount).toBe(2);
  });

  it('deleting a segment removes its rule assignments in a job', async () => {
    const seg = (await req('/api/v1/segments')).body.items.find((s: { name: string }) => s.name === 'Subscribers');
    const del = await req(`/api/v1/segments/${seg.id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(del.body.jobId).toEqual(expect.any(String));
    while (await w.workers.jobs.runNext());
    expect((await req(`/api/v1/bulk-jobs/${del.body.jobId}`)).body).toMatchObject({
      status: 'done',
      result: { matched: w.oa.length, changed: w.oa.length },
    });
    expect((await req(`/api/v1/tags/${seg.tagId}`)).body.customers).toBe(0);
    expect((await req(`/api/v1/segments/${seg.id}`)).status).toBe(404);
  });
});
