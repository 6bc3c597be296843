import { undoMerge } from '../../src/identity/merge.service';
import { useTestDatabase } from '../helpers/describe-db';
import { oaMembers, relationTags, startTagsWorld, type TagsWorld } from '../tags/tags-world';

describe('tags follow a merge into WeChat', () => {
  const db = useTestDatabase();
  let w: TagsWorld;
  let operator: string;
  const req = (path: string, init: Parameters<TagsWorld['api']['request']>[1] = {}) =>
    w.api.request(path, { key: operator, ...init });
  const bindings = () => [
    { channel: 'oa', appId: w.appId },
    { channel: 'wecom', corpId: w.corpId },
  ];
  const tag = async (name: string) =>
    (await req('/api/v1/tags', { method: 'POST', json: { name, bindings: bindings() } })).body.id as string;
  const remote = async (id: string) => {
    const bs = (await req(`/api/v1/tags/${id}`)).body.bindings as { channel: string; remoteTagId: string }[];
    return {
      oa: bs.find((b) => b.channel === 'oa')!.remoteTagId,
      wecom: bs.find((b) => b.channel === 'wecom')!.remoteTagId,
    };
  };
  const pending = async () =>
    Number(
      (
        (await db.ds.query("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'in_flight')")) as {
          n: unknown;
        }[]
      )[0]!.n,
    );

  beforeAll(async () => {
    w = await startTagsWorld(db);
    operator = await w.api.key('operator');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('pushes both customers’ tags to the survivor’s openids and relations in the merge’s transaction, and takes them back on undo', async () => {
    const wecomIds = new Set(w.wecom.map((c) => c.customerId));
    const oaIds = new Set(w.oa.map((c) => c.customerId));
    const fan = w.oa.find((o) => !wecomIds.has(o.customerId))!;
    const contact = w.wecom.find((c) => !oaIds.has(c.customerId) && c.relations.length > 0)!;
    const [fanTag, contactTag] = [await tag('Fan tag'), await tag('Contact tag')];
    await req(`/api/v1/customers/${fan.customerId}/tags`, { method: 'POST', json: { tagIds: [fanTag] } });
    await req(`/api/v1/customers/${contact.customerId}/tags`, { method: 'POST', json: { tagIds: [contactTag] } });
    await w.workers.pusher.drain();
    expect(await pending()).toBe(0);
    const before = await remote(contactTag);
    for (const r of contact.relations)
      expect(relationTags(w, r.userid, contact.externalUserid)).toEqual([before.wecom]);

    const identity = w.api.app.identity;
    const resolution = await db.ds.transaction((em) =>
      identity.resolve(em, {
        source: 'test.merge',
        identities: [
          { type: 'oa_openid', scope: w.appId, value: fan.openid },
          { type: 'wecom_external_userid', scope: w.corpId, value: contact.externalUserid },
        ],
      }),
    );
    expect(resolution.merges).toHaveLength(1);
    expect(await pending()).toBeGreaterThan(0);

    // One drain, no sweep: the survivor's openid and relations carry both tags.
    await w.workers.pusher.drain();
    expect(await pending()).toBe(0);
    // Each tag is bound on the other channel on first use, i.e. by this drain.
    const [a, b] = [await remote(fanTag), await remote(contactTag)];
    expect(oaMembers(w, a.oa).has(fan.openid)).toBe(true);
    expect(oaMembers(w, b.oa).has(fan.openid)).toBe(true);
    for (const r of contact.relations)
      expect(relationTags(w, r.userid, contact.externalUserid).sort()).toEqual([a.wecom, b.wecom].sort());
    const survivor = (await req(`/api/v1/customers/${resolution.customerId}`)).body;
    expect(survivor.tags.map((t: { id: string }) => t.id).sort()).toEqual([fanTag, contactTag].sort());

    // Undo: each person gets back only their own tag in WeChat.
    await undoMerge(db.ds, resolution.merges[0]!, 'test', w.now);
    await w.workers.pusher.drain();
    expect(await pending()).toBe(0);
    expect(oaMembers(w, a.oa).has(fan.openid)).toBe(true);
    expect(oaMembers(w, b.oa).has(fan.openid)).toBe(false);
    for (const r of contact.relations) expect(relationTags(w, r.userid, contact.externalUserid)).toEqual([b.wecom]);
  });
});
