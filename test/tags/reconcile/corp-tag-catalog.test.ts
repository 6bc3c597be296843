import type { WecomCorp } from '../../../emulator/world/wecom-corp';
import type { SyncRuntime } from '../../../src/syncs/sync-runtime';
import { tagsRelationReadHook } from '../../../src/tags/reconcile/relation-read.hook';
import { useTestDatabase } from '../../helpers/describe-db';
import { drainAll, relationTags, startTagsWorld, type TagsWorld } from '../tags-world';

interface CatalogTag {
  id: string;
  name: string;
  groupName: string | null;
  createdBy: string | null;
  bindings: {
    channel: string;
    account: string;
    remoteTagId: string | null;
    remoteName: string | null;
    remoteGroupName: string | null;
    status: string;
  }[];
}

/**
 * The corp tag library as part of the catalog (DESIGN §10.4): corp tags read from WeCom are catalog tags bound
 * to the corp, relation tags are `wechat` assignments recorded as present (nothing pushed back), and operators
 * and segments use them like any tag.
 */
describe('the corp tag library in the catalog', () => {
  const db = useTestDatabase();
  let w: TagsWorld;
  let rt: SyncRuntime;
  let corp: WecomCorp;
  let operator: string;
  const req = (path: string, init: Parameters<TagsWorld['api']['request']>[1] = {}) =>
    w.api.request(path, { key: operator, ...init });
  const accountId = () => w.config.accounts.find((a) => a.kind === 'wecom')!.id;
  const sync = async (resource: 'contacts' | 'corp-tags') => (await rt.syncs.start(accountId(), resource)).done;
  /** mark_tag calls WeChat (the emulator) has served; its counters are keyed by host + path. */
  const markTagCalls = () =>
    Object.entries(w.emulator.state.counters.snapshot())
      .filter(([api]) => api.endsWith('/cgi-bin/externalcontact/mark_tag'))
      .reduce((n, [, c]) => n + c.calls, 0);
  const catalog = async (): Promise<CatalogTag[]> => (await req('/api/v1/tags?limit=500')).body.items;
  const byRemote = async (remoteTagId: string) =>
    (await catalog()).find((t) => t.bindings.some((b) => b.remoteTagId === remoteTagId));
  const assignments = async (tagId: string) =>
    (await db.ds.query('SELECT customer_id, source FROM customer_tags WHERE tag_id = ? ORDER BY customer_id, source', [
      tagId,
    ])) as { customer_id: string; source: string }[];
  /** Every (external_userid, corp tag id) WeCom holds on a relation, with the customer the world seeded for it. */
  const relationTagPairs = () =>
    w.wecom.flatMap((c) =>
      c.relations.flatMap((r) =>
        relationTags(w, r.userid, c.externalUserid).map((tagId) => ({
          customerId: c.customerId,
          externalUserid: c.externalUserid,
          userid: r.userid,
          tagId,
        })),
      ),
    );
  const reread = async (externalUserid: string) => {
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
  };

  beforeAll(async () => {
    // One relation per customer: a customer-level tag then lives on exactly the relation WeCom reports it on.
    w = await startTagsWorld(db, {
      world: { seed: 17, corpTagGroups: 2, corpTagsPerGroup: 4, overlap: { multiFollow: 0 } },
    });
    rt = w.api.app;
    corp = w.emulator.state.world.corp(w.corpId)!;
    operator = await w.api.key('operator');
  });
  afterAll(async () => {
    await rt?.syncs.stop();
    await w?.close();
  });

  it('turns relation tags read before the library into wechat assignments once the library is read, without one mark_tag call', async () => {
    const pairs = relationTagPairs();
    expect(pairs.length).toBeGreaterThan(3);
    const calls = markTagCalls();
    expect(await sync('contacts')).toMatchObject({ status: 'done' });
    // Corp tag ids no binding knows: the contacts sync asked for a library re-read.
    const [queued] = await db.ds.query(
      "SELECT COUNT(*) AS n FROM bulk_jobs WHERE kind = 'tags.corp-library' AND status = 'queued'",
    );
    expect(Number((queued as { n: unknown }).n)).toBe(1);
    while (await w.workers.jobs.runNext());

    for (const p of pairs) {
      const tag = (await byRemote(p.tagId))!;
      expect(await assignments(tag.id)).toEqual(
        expect.arrayContaining([{ customer_id: p.customerId, source: 'wechat' }]),
      );
    }
    const [present] = await db.ds.query(
      "SELECT COUNT(*) AS n FROM remote_tag_state WHERE channel = 'wecom' AND present = 1",
    );
    expect(Number((present as { n: unknown }).n)).toBe(pairs.length);
    await drainAll(w);
    expect(markTagCalls()).toBe(calls);
  });

  it('puts every group and tag of the library in the catalog, bound to the corp, names kept; syncing again changes nothing', async () => {
    expect(await sync('corp-tags')).toMatchObject({ status: 'done', processed: 8 });
    const tags = await catalog();
    const groups = (await req('/api/v1/tag-groups')).body.items.map((g: { name: string }) => g.name);
    for (const g of corp.tags.groups()) {
      expect(groups).toContain(g.name);
      for (const t of g.tags) {
        const found = tags.filter((c) => c.bindings.some((b) => b.remoteTagId === t.id));
        expect(found).toHaveLength(1);
        expect(found[0]).toMatchObject({ name: t.name, groupName: g.name, createdBy: 'wechat' });
        expect(found[0]!.bindings).toEqual([
          expect.objectContaining({
            channel: 'wecom',
            account: w.corpId,
            remoteName: t.name,
            remoteGroupName: g.name,
            status: 'bound',
          }),
        ]);
      }
    }
    const calls = markTagCalls();
    const before = tags.length;
    expect(await sync('contacts')).toMatchObject({ status: 'done' });
    await drainAll(w);
    expect((await catalog()).length).toBe(before);
    expect(markTagCalls()).toBe(calls);
  });

  it('gives a sales rep the corp tags grouped by tag group in the sidebar picker, and lets the rep add one', async () => {
    const sidebar = w.api.app.sidebar.customers;
    const anyRep = { corpId: w.corpId, userid: w.wecom[0]!.relations[0]!.userid };
    const picker = await sidebar.tags(anyRep, { limit: 500 });
    const library = corp.tags.groups().map((g) => ({ name: g.name, tags: g.tags.map((t) => t.name) }));
    expect(picker.groups.map((g) => ({ name: g.name, tags: g.tags.map((t) => t.name) }))).toEqual(library);

    const chosen = picker.groups[0]!.tags[0]!;
    const holders = new Set((await assignments(chosen.id)).map((a) => a.customer_id));
    const person = w.wecom.find((c) => !holders.has(c.customerId))!;
    const rep = { corpId: w.corpId, userid: person.relations[0]!.userid };
    const calls = markTagCalls();
    const added = await sidebar.addTags(rep, person.externalUserid, [chosen.id]);
    expect(added.tags).toEqual(
      expect.arrayContaining([
        { id: chosen.id, name: chosen.name, source: 'manual', groupName: picker.groups[0]!.name },
      ]),
    );
    await drainAll(w);
    expect(relationTags(w, rep.userid, person.externalUserid)).toContain(corp.tags.groups()[0]!.tags[0]!.id);
    expect(markTagCalls()).toBe(calls + 1);
  });

  it('adopts a tag created in Siyu and pushed, and a pending binding of the same name: never a duplicate', async () => {
    const pushed = (
      await req('/api/v1/tags', {
        method: 'POST',
        json: { name: '老客户', bindings: [{ channel: 'wecom', corpId: w.corpId, groupName: 'Siyu' }] },
      })
    ).body.id as string;
    const person = w.wecom[0]!;
    await req(`/api/v1/customers/${person.customerId}/tags`, { method: 'POST', json: { tagIds: [pushed] } });
    await drainAll(w);
    const groupName = corp.tags.groups()[0]!.name;
    const pending = (
      await req('/api/v1/tags', {
        method: 'POST',
        json: { name: '待定', bindings: [{ channel: 'wecom', corpId: w.corpId, groupName }] },
      })
    ).body.id as string;
    const created = corp.tags.add({ groupName }, [{ name: '待定' }], 0).created[0]!;

    expect(await sync('corp-tags')).toMatchObject({ status: 'done' });
    const tags = await catalog();
    expect(tags.filter((t) => t.name === '老客户').map((t) => t.id)).toEqual([pushed]);
    expect(tags.filter((t) => t.name === '待定').map((t) => t.id)).toEqual([pending]);
    expect(tags.find((t) => t.id === pending)!.bindings[0]).toMatchObject({ remoteTagId: created.id, status: 'bound' });
    expect(await assignments(pushed)).toEqual([{ customer_id: person.customerId, source: 'manual' }]);
  });

  it('renames the catalog tag when the corp tag is renamed in WeCom', async () => {
    const t = corp.tags.groups()[1]!.tags[0]!;
    const before = (await byRemote(t.id))!;
    const renamed = `${t.name}（新）`;
    corp.tags.edit(t.id, renamed, undefined);
    expect(await sync('corp-tags')).toMatchObject({ status: 'done' });
    const after = (await req(`/api/v1/tags/${before.id}`)).body as CatalogTag;
    expect(after).toMatchObject({ id: before.id, name: renamed, groupName: before.groupName });
    expect(after.bindings[0]).toMatchObject({ remoteTagId: t.id, remoteName: renamed });
  });

  it('lets operators assign a corp tag (one mark_tag), remove a wechat one from WeCom while a manual one stays, and segment on it', async () => {
    const t = corp.tags.groups()[0]!.tags[1]!;
    const tag = (await byRemote(t.id))!;
    const holders = new Set((await assignments(tag.id)).map((a) => a.customer_id));
    const person = w.wecom.find((c) => !holders.has(c.customerId))!;
    const calls = markTagCalls();
    expect(calls).toBeGreaterThan(0);
    await req(`/api/v1/customers/${person.customerId}/tags`, { method: 'POST', json: { tagIds: [tag.id] } });
    await drainAll(w);
    expect(markTagCalls()).toBe(calls + 1);
    expect(relationTags(w, person.relations[0]!.userid, person.externalUserid)).toContain(t.id);

    const target = (await req('/api/v1/tags', { method: 'POST', json: { name: 'Segment target' } })).body.id as string;
    const preview = await req(`/api/v1/segments`, {
      method: 'POST',
      json: { name: 'Carries a corp tag', tagId: target, rule: { type: 'tag', tagId: tag.id } },
    });
    expect(preview.status).toBe(201);
    const count = (await req(`/api/v1/segments/${preview.body.id}/preview`, { method: 'POST', json: {} })).body.count;
    expect(count).toBe(holders.size + 1);

    // A staff member removes the tag in WeCom from a wechat holder and from the operator's customer.
    const wechatHolder = w.wecom.find((c) => holders.has(c.customerId))!;
    for (const c of [wechatHolder, person]) {
      const rel = corp.relationsBySlot[corp.slotOf(c.externalUserid)]![0]!;
      rel.tags = rel.tags.filter((n) => corp.tags.tag(n)!.id !== t.id);
      w.advance(1_000);
      await reread(c.externalUserid);
    }
    expect(await assignments(tag.id)).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ customer_id: wechatHolder.customerId })]),
    );
    expect(await assignments(tag.id)).toEqual(
      expect.arrayContaining([{ customer_id: person.customerId, source: 'manual' }]),
    );
    await drainAll(w);
    // The manual assignment is still wanted, so Siyu puts it back; the wechat holder is left without it.
    expect(relationTags(w, person.relations[0]!.userid, person.externalUserid)).toContain(t.id);
    expect(relationTags(w, wechatHolder.relations[0]!.userid, wechatHolder.externalUserid)).not.toContain(t.id);
  });

  it('takes a tag deleted in WeCom out of the catalog with its assignments, audited as done by wechat', async () => {
    const group = corp.tags.groups()[1]!;
    const t = group.tags[group.tags.length - 1]!;
    const tag = (await byRemote(t.id))!;
    const person = w.wecom.find((c) => c.relations.length === 1)!;
    await req(`/api/v1/customers/${person.customerId}/tags`, { method: 'POST', json: { tagIds: [tag.id] } });
    await drainAll(w);
    expect((await assignments(tag.id)).length).toBeGreaterThan(0);

    corp.stripTags(corp.tags.delete([t.id], []));
    expect(await sync('corp-tags')).toMatchObject({ status: 'done' });
    expect((await req(`/api/v1/tags/${tag.id}`)).status).toBe(404);
    expect(await assignments(tag.id)).toEqual([]);
    expect(await db.ds.query('SELECT id FROM tag_bindings WHERE tag_id = ?', [tag.id])).toEqual([]);
    const [state] = await db.ds.query(
      "SELECT COUNT(*) AS n FROM remote_tag_state WHERE channel = 'wecom' AND remote_tag_id = ?",
      [t.id],
    );
    expect(Number((state as { n: unknown }).n)).toBe(0);
    const audit = (
      await w.api.request(`/api/v1/audit?targetType=tag&targetId=${tag.id}`, { key: await w.api.key('admin', 'audit') })
    ).body.items;
    expect(audit[0]).toMatchObject({ actor: 'wechat', action: 'tag.delete' });

    // A whole group deleted in WeCom: its tags and the catalog group go.
    const other = corp.tags.groups()[1]!;
    corp.stripTags(corp.tags.delete([], [other.id]));
    expect(await sync('corp-tags')).toMatchObject({ status: 'done' });
    expect((await catalog()).filter((c) => c.groupName === other.name)).toEqual([]);
    expect((await req('/api/v1/tag-groups')).body.items.map((g: { name: string }) => g.name)).not.toContain(other.name);
  });

  it('keeps a corp tag an operator deleted in Siyu out of the catalog and out of assignments while it still exists in WeCom', async () => {
    const t = corp.tags.groups()[0]!.tags[2]!;
    const tag = (await byRemote(t.id))!;
    expect((await req(`/api/v1/tags/${tag.id}`, { method: 'DELETE' })).status).toBe(200);
    await drainAll(w);
    const person = w.wecom[2]!;
    const rel = corp.relationsBySlot[corp.slotOf(person.externalUserid)]![0]!;
    rel.tags.push(corp.tags.liveTag(t.id).num);
    w.advance(1_000);
    await reread(person.externalUserid);
    expect(await sync('corp-tags')).toMatchObject({ status: 'done' });
    expect(await byRemote(t.id)).toBeUndefined();
    expect(await assignments(tag.id)).toEqual([]);
  });
});
