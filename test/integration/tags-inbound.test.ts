import { tagEventHook } from '../../src/tags/reconcile/tag-event.hook';
import { tagsRelationReadHook } from '../../src/tags/reconcile/relation-read.hook';
import { useTestDatabase } from '../helpers/describe-db';
import { drainAll, oaMembers, relationTags, startTagsWorld, type TagsWorld } from '../tags/tags-world';
import { InboxBatch } from '../../src/inbox/inbox-batch';

describe('inbound tag changes and drift', () => {
  const db = useTestDatabase();
  let w: TagsWorld;
  let operator: string;
  const req = (path: string, init: Parameters<TagsWorld['api']['request']>[1] = {}) =>
    w.api.request(path, { key: operator, ...init });
  const tag = async (name: string, bindings: unknown[]) =>
    (await req('/api/v1/tags', { method: 'POST', json: { name, bindings } })).body.id as string;
  const binding = async (id: string) => (await req(`/api/v1/tags/${id}`)).body.bindings[0];

  beforeAll(async () => {
    w = await startTagsWorld(db, { world: { seed: 41, overlap: { multiFollow: 0.5 } } });
    operator = await w.api.key('operator');
  });
  afterAll(async () => {
    await w?.close();
  });

  /** What the syncs' re-read after an edit_external_contact callback hands to the relation-read hooks. */
  async function reread(externalUserid: string): Promise<void> {
    const detail = await w.clients.wecom(w.corpId).contacts.getExternalContact(externalUserid);
    await db.ds.transaction((em) =>
      tagsRelationReadHook.apply(em, [
        {
          corpId: w.corpId,
          externalUserid,
          customerId: null,
          follows: detail.follow_user,
          readAt: new Date(w.now()),
        },
      ]),
    );
  }

  it('turns a tag a staff member added in WeCom into a wechat assignment, ignores our own echo, and follows removals', async () => {
    const ours = await tag('Ours', [{ channel: 'wecom', corpId: w.corpId }]);
    const theirs = await tag('Theirs', [{ channel: 'wecom', corpId: w.corpId }]);
    const person = w.wecom.find((c) => c.relations.length > 1)!;
    const [first, second] = person.relations;
    await req(`/api/v1/customers/${person.customerId}/tags`, { method: 'POST', json: { tagIds: [ours, theirs] } });
    await drainAll(w);
    await req(`/api/v1/customers/${person.customerId}/tags/${theirs}`, { method: 'DELETE' });
    await drainAll(w);
    const [b1, b2] = [await binding(ours), await binding(theirs)];
    expect(relationTags(w, first!.userid, person.externalUserid)).toEqual([b1.remoteTagId]);

    // Our own push read back: nothing changes.
    const auditBefore = (
      await w.api.request('/api/v1/audit?targetType=customer', { key: await w.api.key('admin', 'a1') })
    ).body.items.length;
    await reread(person.externalUserid);
    expect(
      (await w.api.request('/api/v1/audit?targetType=customer', { key: await w.api.key('admin', 'a2') })).body.items
        .length,
    ).toBe(auditBefore);

    // A staff member adds "Theirs" on the first relation in the WeCom client.
    const corp = w.emulator.state.world.wecom[0]!;
    const slot = corp.slotOf(person.externalUserid);
    const rel1 = corp.relationsBySlot[slot]!.find((r) => r.staff.userid === first!.userid)!;
    rel1.tags.push(corp.tags.liveTag(b2.remoteTagId).num);
    await reread(person.externalUserid);
    const tags = (
      await req(`/api/v1/customers/${person.customerId}/tags`, { method: 'POST', json: { tagIds: [ours] } })
    ).body.tags;
    expect(tags).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: theirs, name: 'Theirs', source: 'wechat' })]),
    );
    await drainAll(w);
    expect(relationTags(w, second!.userid, person.externalUserid)).toEqual(
      expect.arrayContaining([b1.remoteTagId, b2.remoteTagId]),
    );

    // The staff member removes both again: "Theirs" (only wechat-sourced) goes everywhere, "Ours" (manual) comes back.
    for (const r of corp.relationsBySlot[slot]!) if (r.staff.userid === first!.userid) r.tags = [];
    await reread(person.externalUserid);
    await drainAll(w);
    expect(relationTags(w, first!.userid, person.externalUserid)).toEqual([b1.remoteTagId]);
    expect(relationTags(w, second!.userid, person.externalUserid)).toEqual([b1.remoteTagId]);
    const audit = (
      await w.api.request(`/api/v1/audit?targetType=customer&targetId=${person.customerId}`, {
        key: await w.api.key('admin', 'a3'),
      })
    ).body.items;
    expect(
      audit
        .filter((a: { actor: string }) => a.actor === `wecom:${first!.userid}`)
        .map((a: { action: string }) => a.action),
    ).toEqual(['customer.tags.remove', 'customer.tags.add']);
  });

  it('re-reads the corp tag library on change_external_tag: follows renames, drops deleted tags from the catalog, adopts names', async () => {
    const renamed = await tag('Renamed', [{ channel: 'wecom', corpId: w.corpId, groupName: 'Lib' }]);
    const deleted = await tag('Deleted', [{ channel: 'wecom', corpId: w.corpId, groupName: 'Lib' }]);
    const pending = await tag('Pending', [{ channel: 'wecom', corpId: w.corpId, groupName: 'Lib' }]);
    const person = w.wecom[1]!;
    await req(`/api/v1/tags/${renamed}/assign`, { method: 'POST', json: { customerIds: [person.customerId] } });
    await req(`/api/v1/tags/${deleted}/assign`, { method: 'POST', json: { customerIds: [person.customerId] } });
    await drainAll(w);
    const corp = w.emulator.state.world.wecom[0]!;
    const [bRenamed, bDeleted] = [await binding(renamed), await binding(deleted)];
    corp.tags.edit(bRenamed.remoteTagId, 'Renamed in WeCom', undefined);
    corp.stripTags(corp.tags.delete([bDeleted.remoteTagId], []));
    const created = corp.tags.add({ groupName: 'Lib' }, [{ name: 'Pending' }], 0).created[0]!;

    await db.ds.transaction((em) =>
      tagEventHook.apply(
        {
          em,
          row: {} as never,
          index: 0,
          now: new Date(w.now()),
          batch: new InboxBatch(em, new Date(w.now())),
          customerOf: () => Promise.reject(new Error('the tag hook resolves no customer')),
        },
        {
          kind: 'tag.changed',
          channel: 'wecom',
          account: w.corpId,
          occurredAt: new Date().toISOString(),
          changeType: 'update',
          tagType: 'tag',
          tagId: bRenamed.remoteTagId,
        },
      ),
    );
    while (await w.workers.jobs.runNext());
    expect(await binding(renamed)).toMatchObject({ status: 'bound', remoteName: 'Renamed in WeCom' });
    expect((await req(`/api/v1/tags/${renamed}`)).body.name).toBe('Renamed in WeCom');
    expect((await req(`/api/v1/tags/${deleted}`)).status).toBe(404);
    expect(
      Number((await db.ds.query('SELECT COUNT(*) AS n FROM customer_tags WHERE tag_id = ?', [deleted]))[0].n),
    ).toBe(0);
    expect(await binding(pending)).toMatchObject({ status: 'bound', remoteTagId: created.id });
  });

  it('reconciles OA tag membership: re-pushes what Siyu lost, adopts what the OA admin added as a wechat assignment', async () => {
    const id = await tag('Reconciled', [{ channel: 'oa', appId: w.appId }]);
    const five = w.oa.slice(0, 5);
    await req(`/api/v1/tags/${id}/assign`, { method: 'POST', json: { customerIds: five.map((o) => o.customerId) } });
    await drainAll(w);
    const b = await binding(id);
    const aud = w.emulator.state.world.oa[0]!;
    aud.tags.untagSlots(Number(b.remoteTagId), [aud.slotOf(five[0]!.openid)]);
    const extra = w.oa[20]!;
    aud.tags.tagSlots(Number(b.remoteTagId), [aud.slotOf(extra.openid)]);

    const report = await w.workers.reconciler.reconcileAll();
    expect(report).toEqual(
      expect.arrayContaining([
        {
          tagId: id,
          appId: w.appId,
          remoteTagId: b.remoteTagId,
          fans: 5,
          adopted: 1,
          extra: 0,
          dropped: 0,
          missing: 1,
        },
      ]),
    );
    const [adopted] = await db.ds.query(
      'SELECT source, assigned_by FROM customer_tags WHERE tag_id = ? AND customer_id = ?',
      [id, extra.customerId],
    );
    expect(adopted).toEqual({ source: 'wechat', assigned_by: 'wechat' });
    expect((await binding(id)).stats).toMatchObject({ desired: 6, pushed: 5, drifted: 1, pending: 1 });
    await drainAll(w);
    expect(oaMembers(w, b.remoteTagId)).toEqual(new Set([...five.map((o) => o.openid), extra.openid]));
    expect((await binding(id)).stats).toMatchObject({ desired: 6, pushed: 6, drifted: 0, pending: 0 });
    const again = await w.workers.reconciler.reconcileAll();
    expect(again.find((r) => r.tagId === id)).toMatchObject({ adopted: 0, extra: 0, missing: 0 });

    // Untagged in the OA admin console: the wechat assignment goes, nothing is pushed back.
    aud.tags.untagSlots(Number(b.remoteTagId), [aud.slotOf(extra.openid)]);
    const third = await w.workers.reconciler.reconcileAll();
    expect(third.find((r) => r.tagId === id)).toMatchObject({ dropped: 1, missing: 0 });
    expect(
      await db.ds.query('SELECT source FROM customer_tags WHERE tag_id = ? AND customer_id = ?', [
        id,
        extra.customerId,
      ]),
    ).toEqual([]);
    await drainAll(w);
    expect(oaMembers(w, b.remoteTagId)).toEqual(new Set(five.map((o) => o.openid)));
  });
});
