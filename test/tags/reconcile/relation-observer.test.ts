import { tagsRelationReadHook } from '../../../src/tags/reconcile/relation-read.hook';
import { useTestDatabase } from '../../helpers/describe-db';
import { drainAll, relationTags, startTagsWorld, type TagsWorld } from '../tags-world';

/**
 * The refresh worker's externalcontact/get re-read can land between Siyu's own mark_tag and the recording of
 * its outcome (seen in the demo: mark_tag at t, re-read at t+253 ms, push recorded at t+336 ms). These tests
 * force that interleaving instead of waiting for it.
 */
describe('relation re-read against Siyu’s own pushes', () => {
  const db = useTestDatabase();
  let w: TagsWorld;
  let operator: string;
  const req = (path: string, init: Parameters<TagsWorld['api']['request']>[1] = {}) =>
    w.api.request(path, { key: operator, ...init });
  const tag = async (name: string) =>
    (await req('/api/v1/tags', { method: 'POST', json: { name, bindings: [{ channel: 'wecom', corpId: w.corpId }] } }))
      .body.id as string;
  const remoteTagId = async (id: string) => (await req(`/api/v1/tags/${id}`)).body.bindings[0].remoteTagId as string;
  const tagsOf = async (customerId: string) =>
    (await req(`/api/v1/customers/${customerId}`)).body.tags as { id: string; source: string }[];

  beforeAll(async () => {
    w = await startTagsWorld(db, { world: { seed: 43, overlap: { multiFollow: 0.5 } } });
    operator = await w.api.key('operator');
  });
  afterAll(async () => {
    await w?.close();
  });

  async function readRelations(externalUserid: string) {
    return {
      detail: await w.clients.wecom(w.corpId).contacts.getExternalContact(externalUserid),
      readAt: new Date(w.now()),
    };
  }
  async function observe(externalUserid: string, read: Awaited<ReturnType<typeof readRelations>>): Promise<void> {
    await db.ds.transaction((em) =>
      tagsRelationReadHook.apply(em, [
        {
          corpId: w.corpId,
          externalUserid,
          customerId: null,
          follows: read.detail.follow_user,
          readAt: read.readAt,
        },
      ]),
    );
  }

  /** Runs `during` once, right after the next successful mark_tag and before the pusher records its outcome. */
  function afterNextMarkTag(during: () => Promise<void>): () => void {
    const api = w.clients.wecom(w.corpId).corpTags;
    const real = api.markTag.bind(api);
    let fired = false;
    api.markTag = async (r) => {
      await real(r);
      if (fired) return;
      fired = true;
      await during();
    };
    return () => {
      api.markTag = real;
    };
  }

  it('records its own mark_tag seen by a re-read before the push is recorded as actual state, not a wechat assignment', async () => {
    const id = await tag('Echo in flight');
    const person = w.wecom.find((c) => c.relations.length > 1)!;
    await req(`/api/v1/customers/${person.customerId}/tags`, { method: 'POST', json: { tagIds: [id] } });
    let seen: string[] = [];
    const restore = afterNextMarkTag(async () => {
      const read = await readRelations(person.externalUserid);
      seen = read.detail.follow_user.flatMap((f) => (f.tags ?? []).map((t) => t.tag_id ?? ''));
      await observe(person.externalUserid, read);
    });
    try {
      await drainAll(w);
    } finally {
      restore();
    }
    const remote = await remoteTagId(id);
    expect(seen).toContain(remote);
    expect(await tagsOf(person.customerId)).toEqual([
      { id, name: 'Echo in flight', source: 'manual', groupName: null },
    ]);
    for (const r of person.relations) expect(relationTags(w, r.userid, person.externalUserid)).toEqual([remote]);
    const [pending] = await db.ds.query("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'in_flight')");
    expect(Number((pending as { n: unknown }).n)).toBe(0);
  });

  it('ignores a re-read taken before its own removal was pushed and observed after it was recorded', async () => {
    const id = await tag('Stale read');
    const person = w.wecom.filter((c) => c.relations.length > 1)[1]!;
    await req(`/api/v1/customers/${person.customerId}/tags`, { method: 'POST', json: { tagIds: [id] } });
    await drainAll(w);
    const remote = await remoteTagId(id);
    const before = await readRelations(person.externalUserid);
    w.advance(1_000);
    await req(`/api/v1/customers/${person.customerId}/tags/${id}`, { method: 'DELETE' });
    await drainAll(w);
    await observe(person.externalUserid, before);
    await drainAll(w);
    expect(await tagsOf(person.customerId)).toEqual([]);
    for (const r of person.relations) expect(relationTags(w, r.userid, person.externalUserid)).not.toContain(remote);
  });

  it('still adopts a tag a staff member adds while a push of another tag to that relation is in flight, and pushes back a removed wanted tag', async () => {
    const ours = await tag('Ours in flight');
    const theirs = await tag('Staff added');
    const person = w.wecom.filter((c) => c.relations.length > 1)[2]!;
    const first = person.relations[0]!;
    await req(`/api/v1/customers/${person.customerId}/tags`, { method: 'POST', json: { tagIds: [theirs] } });
    await drainAll(w);
    await req(`/api/v1/customers/${person.customerId}/tags/${theirs}`, { method: 'DELETE' });
    await drainAll(w);
    const theirsRemote = await remoteTagId(theirs);
    await req(`/api/v1/customers/${person.customerId}/tags`, { method: 'POST', json: { tagIds: [ours] } });
    const corp = w.emulator.state.world.wecom[0]!;
    const rel = corp.relationsBySlot[corp.slotOf(person.externalUserid)]!.find((r) => r.staff.userid === first.userid)!;
    // The staff member tags the relation in WeCom before Siyu's call; the re-read lands mid-push.
    const restore = afterNextMarkTag(async () => {
      await observe(person.externalUserid, await readRelations(person.externalUserid));
    });
    rel.tags.push(corp.tags.liveTag(theirsRemote).num);
    try {
      await drainAll(w);
    } finally {
      restore();
    }
    // Mid-push the staff tag is ambiguous and left for the next read, which adopts it.
    w.advance(1_000);
    await observe(person.externalUserid, await readRelations(person.externalUserid));
    expect(await tagsOf(person.customerId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: theirs, name: 'Staff added', source: 'wechat' }),
        { id: ours, name: 'Ours in flight', source: 'manual', groupName: null },
      ]),
    );

    // The staff member removes the manual tag Siyu wants: it is pushed back.
    const oursRemote = await remoteTagId(ours);
    rel.tags = rel.tags.filter((n) => corp.tags.tag(n)!.id !== oursRemote);
    w.advance(1_000);
    await observe(person.externalUserid, await readRelations(person.externalUserid));
    await drainAll(w);
    expect(relationTags(w, first.userid, person.externalUserid)).toEqual(
      expect.arrayContaining([oursRemote, theirsRemote]),
    );
  });
});
