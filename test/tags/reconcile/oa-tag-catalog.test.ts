import { useTestDatabase } from '../../helpers/describe-db';
import { drainAll, oaMembers, startTagsWorld, type TagsWorld } from '../tags-world';

interface CatalogTag {
  id: string;
  name: string;
  groupName: string | null;
  bindings: { channel: string; account: string; remoteTagId: string | null; status: string }[];
}

/**
 * OA tags read by the reconcile job are catalog tags too (DESIGN §10.4): bound to their appid in one catalog
 * group per account, their fans `wechat` assignments recorded as present (no batchtagging back), usable by
 * operators, renamed and removed as WeChat says.
 */
describe('OA tags in the catalog', () => {
  const db = useTestDatabase();
  let w: TagsWorld;
  let operator: string;
  const req = (path: string, init: Parameters<TagsWorld['api']['request']>[1] = {}) =>
    w.api.request(path, { key: operator, ...init });
  const calls = (suffix: string) =>
    Object.entries(w.emulator.state.counters.snapshot())
      .filter(([api]) => api.endsWith(suffix))
      .reduce((n, [, c]) => n + c.calls, 0);
  const catalog = async (): Promise<CatalogTag[]> => (await req('/api/v1/tags?limit=500')).body.items;
  const byRemote = async (remoteTagId: number) =>
    (await catalog()).find((t) => t.bindings.some((b) => b.channel === 'oa' && b.remoteTagId === String(remoteTagId)));
  const holders = async (tagId: string) =>
    (await db.ds.query('SELECT customer_id, source FROM customer_tags WHERE tag_id = ? ORDER BY customer_id', [
      tagId,
    ])) as { customer_id: string; source: string }[];

  beforeAll(async () => {
    w = await startTagsWorld(db, { world: { seed: 23, oaTags: 3 } });
    operator = await w.api.key('operator');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('reads every OA tag into the catalog with its fans as wechat assignments, pushing nothing back', async () => {
    const aud = w.emulator.state.world.oa[0]!;
    const account = w.config.accounts.find((a) => a.kind === 'official-account')!;
    const customerOf = new Map(w.oa.map((o) => [o.openid, o.customerId]));
    const before = calls('/cgi-bin/tags/members/batchtagging');
    await w.workers.reconciler.reconcileAll();
    await drainAll(w);
    const custom = [...aud.tags.tags.values()].filter((t) => t.id > 2);
    expect(custom).toHaveLength(3);
    for (const t of custom) {
      const tag = (await byRemote(t.id))!;
      expect(tag).toMatchObject({ name: t.name, groupName: `公众号标签 · ${account.id}` });
      expect(tag.bindings).toEqual([expect.objectContaining({ channel: 'oa', account: w.appId, status: 'bound' })]);
      const fans = [...oaMembers(w, String(t.id))];
      expect(fans.length).toBeGreaterThan(0);
      expect(await holders(tag.id)).toEqual(
        fans
          .map((o) => ({ customer_id: customerOf.get(o)!, source: 'wechat' }))
          .sort((a, b) => a.customer_id.localeCompare(b.customer_id)),
      );
    }
    expect(calls('/cgi-bin/tags/members/batchtagging')).toBe(before);

    // Reading again changes nothing.
    const count = (await catalog()).length;
    const report = await w.workers.reconciler.reconcileAll();
    expect(report.every((r) => r.adopted === 0 && r.missing === 0 && r.dropped === 0)).toBe(true);
    expect((await catalog()).length).toBe(count);
  });

  it('pushes an operator assignment of an OA tag once, follows a rename, and drops a tag deleted in the OA with its assignments', async () => {
    const aud = w.emulator.state.world.oa[0]!;
    const [first, second] = [...aud.tags.tags.values()].filter((t) => t.id > 2);
    const tag = (await byRemote(first!.id))!;
    const fans = oaMembers(w, String(first!.id));
    const person = w.oa.find((o) => !fans.has(o.openid))!;
    const before = calls('/cgi-bin/tags/members/batchtagging');
    await req(`/api/v1/customers/${person.customerId}/tags`, { method: 'POST', json: { tagIds: [tag.id] } });
    await drainAll(w);
    expect(calls('/cgi-bin/tags/members/batchtagging')).toBe(before + 1);
    expect(oaMembers(w, String(first!.id)).has(person.openid)).toBe(true);

    aud.tags.update(first!.id, '改名后的标签');
    const gone = (await byRemote(second!.id))!;
    aud.tags.delete(second!.id);
    await w.workers.reconciler.reconcileAll();
    expect((await req(`/api/v1/tags/${tag.id}`)).body).toMatchObject({ name: '改名后的标签' });
    expect((await req(`/api/v1/tags/${gone.id}`)).status).toBe(404);
    expect(await holders(gone.id)).toEqual([]);
    const audit = (
      await w.api.request(`/api/v1/audit?targetType=tag&targetId=${gone.id}`, {
        key: await w.api.key('admin', 'audit'),
      })
    ).body.items;
    expect(audit[0]).toMatchObject({ actor: 'wechat', action: 'tag.delete' });
  });
});
