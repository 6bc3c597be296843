import type { WecomCorp } from '../../emulator/world/wecom-corp';
import { listCorpTags } from '../../src/storage/syncs/wecom-corp-tag.repository';
import { clearTables } from '../helpers/test-db';
import { useTestDatabase } from '../helpers/describe-db';
import { count, startSyncHarness, type SyncHarness } from './sync-harness';

interface FollowRow {
  staff_userid: string;
  external_userid: string;
  remark: string | null;
  add_way: number | null;
  tags: string;
  deleted: unknown;
}

describe('WeCom contacts and corp tag syncs', () => {
  const db = useTestDatabase();
  let h: SyncHarness;
  let corp: WecomCorp;

  /** Every (staff, customer) relation WeCom would report: staff with the customer-contact feature only. */
  const relations = () =>
    corp.staff
      .filter((s) => s.contactFeature)
      .flatMap((s) => s.relations.map((r) => ({ staff: s.userid, external: corp.externalUserid(r.slot), rel: r })));

  beforeAll(async () => {
    h = await startSyncHarness(db, {
      followers: 100,
      wecomStaff: 120,
      wecomContacts: 400,
      corpTagGroups: 3,
      corpTagsPerGroup: 4,
    });
    corp = h.emu.state.world.corp(h.wecom().corpId)!;
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await clearTables(db.ds);
  });

  it('refuses a resource that does not fit a WeCom account', async () => {
    await expect(h.rt.syncs.start(h.wecom().id, 'followers')).rejects.toMatchObject({ code: 'RESOURCE_NOT_SUPPORTED' });
  });

  it('walks every staff chunk and cursor page: one follow row per relation with remark, add_way and relation tags', async () => {
    const end = await (await h.rt.syncs.start(h.wecom().id, 'contacts')).done;
    const expected = relations();
    expect(expected.length).toBeGreaterThan(400);
    expect(end).toMatchObject({ status: 'done', processed: expected.length, total: null, percent: null });
    const rows = (await db.ds.query(
      'SELECT staff_userid, external_userid, remark, add_way, tags, deleted FROM wecom_follows',
    )) as FollowRow[];
    expect(rows).toHaveLength(expected.length);
    const byKey = new Map(rows.map((r) => [`${r.staff_userid}|${r.external_userid}`, r]));
    for (const e of expected) {
      const row = byKey.get(`${e.staff}|${e.external}`)!;
      expect(row).toBeDefined();
      expect(row.remark ?? '').toBe(e.rel.remark);
      expect(row.add_way).toBe(e.rel.addWay);
      expect(JSON.parse(row.tags)).toEqual(e.rel.tags.map((n) => corp.tags.tag(n)!.id));
      expect(Number(row.deleted)).toBe(0);
    }
    const customers = new Set(expected.map((e) => e.external)).size;
    expect(await count(db.ds, "SELECT COUNT(*) AS n FROM identities WHERE type = 'wecom_external_userid'")).toBe(
      customers,
    );
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM customers')).toBe(customers);
    const wechatUsers = [...new Set(expected.filter((e) => e.external.startsWith('wm')).map((e) => e.external))].length;
    expect(await count(db.ds, "SELECT COUNT(*) AS n FROM identities WHERE type = 'unionid'")).toBe(wechatUsers);
    // Every follow points at the customer holding its external_userid, named as WeCom names the contact.
    expect(
      await count(
        db.ds,
        "SELECT COUNT(*) AS n FROM wecom_follows f JOIN identities i ON i.customer_id = f.customer_id AND i.type = 'wecom_external_userid' AND i.value = f.external_userid",
      ),
    ).toBe(expected.length);
    const [one] = expected;
    const [named] = (await db.ds.query(
      "SELECT c.display_name AS name FROM customers c JOIN identities i ON i.customer_id = c.id WHERE i.type = 'wecom_external_userid' AND i.value = ?",
      [one!.external],
    )) as { name: string }[];
    expect(named!.name).toBe(corp.customerName(one!.rel.slot));
  });

  it('pausing after the first page and resuming yields the same rows, none twice', async () => {
    let stopped = false;
    const first = await h.rt.syncs.start(h.wecom().id, 'contacts', {
      onProgress: (p) => {
        if (!stopped && p.processed > 0) {
          stopped = true;
          void h.rt.syncs.stop();
        }
      },
    });
    expect((await first.done).status).toBe('paused');
    const again = await h.rt.syncs.start(h.wecom().id, 'contacts');
    expect(again.run.id).toBe(first.run.id);
    expect((await again.done).status).toBe('done');
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM wecom_follows')).toBe(relations().length);
    expect(
      await count(
        db.ds,
        'SELECT COUNT(*) AS n FROM (SELECT type, scope, value FROM identities GROUP BY type, scope, value HAVING COUNT(*) > 1) d',
      ),
    ).toBe(0);
  });

  it('marks relations gone from WeCom as deleted on the next full run', async () => {
    expect((await (await h.rt.syncs.start(h.wecom().id, 'contacts')).done).status).toBe('done');
    const victim = relations()[7]!;
    corp.removeRelation(victim.rel);
    try {
      expect((await (await h.rt.syncs.start(h.wecom().id, 'contacts')).done).status).toBe('done');
      const rows = (await db.ds.query(
        'SELECT staff_userid, external_userid FROM wecom_follows WHERE deleted = 1',
      )) as FollowRow[];
      expect(rows).toEqual([{ staff_userid: victim.staff, external_userid: victim.external }]);
    } finally {
      corp.relationsBySlot[victim.rel.slot]!.push(victim.rel);
      victim.rel.staff.relations.push(victim.rel);
      victim.rel.staff.relations.sort((a, b) => a.seq - b.seq);
      corp.relationsBySlot[victim.rel.slot]!.sort((a, b) => a.seq - b.seq);
    }
  });

  it('an OA followers sync and a WeCom contacts sync running at once end with one customer per person', async () => {
    const [oa, contacts] = await Promise.all([
      h.rt.syncs.start(h.oa().id, 'followers'),
      h.rt.syncs.start(h.wecom().id, 'contacts'),
    ]);
    expect((await oa.done).status).toBe('done');
    expect((await contacts.done).status).toBe('done');
    const aud = h.emu.state.world.oaApp(h.oa().appId)!;
    const followers = new Set<number>();
    for (let s = 0; s < aud.size; s++) if (aud.isFollower(s)) followers.add(aud.slotPerson.get(s));
    const contactPersons = new Map<number, number>();
    for (let slot = 0; slot < corp.customerCount; slot++)
      if (corp.relationsBySlot[slot]!.length > 0)
        contactPersons.set(corp.slotPerson.get(slot), corp.slotType.get(slot));
    // WeCom users (type 2) carry no unionid, so such a person who also follows the OA stays two customers.
    let expected = contactPersons.size;
    for (const p of followers) if (!contactPersons.has(p) || contactPersons.get(p) === 2) expected++;
    expect(await count(db.ds, 'SELECT COUNT(*) AS n FROM customers')).toBe(expected);
    expect(
      await count(
        db.ds,
        "SELECT COUNT(*) AS n FROM (SELECT customer_id FROM identities WHERE type = 'unionid' GROUP BY customer_id HAVING COUNT(*) > 1) d",
      ),
    ).toBe(0);
    expect(
      await count(
        db.ds,
        'SELECT COUNT(*) AS n FROM (SELECT type, scope, value FROM identities GROUP BY type, scope, value HAVING COUNT(*) > 1) d',
      ),
    ).toBe(0);
  });

  it('reads the corp tag library and marks tags deleted in WeCom', async () => {
    const corpId = h.wecom().corpId;
    const first = await (await h.rt.syncs.start(h.wecom().id, 'corp-tags')).done;
    expect(first).toMatchObject({ status: 'done', processed: 12, total: 12 });
    const tags = await listCorpTags(db.ds, corpId);
    expect(tags).toHaveLength(12);
    const group = corp.tags.groups()[0]!;
    expect(tags[0]).toMatchObject({
      groupId: group.id,
      groupName: group.name,
      tagId: group.tags[0]!.id,
      tagName: group.tags[0]!.name,
      deleted: false,
    });

    const removed = group.tags[1]!.id;
    corp.tags.delete([removed], []);
    const second = await (await h.rt.syncs.start(h.wecom().id, 'corp-tags')).done;
    expect(second).toMatchObject({ status: 'done', processed: 11 });
    const after = await listCorpTags(db.ds, corpId, true);
    expect(after.filter((t) => t.deleted).map((t) => t.tagId)).toEqual([removed]);
  });
});
