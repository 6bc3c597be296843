import { select } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import type { CookieJar } from '../integration/h5-harness';
import { startSidebar, type SidebarHarness } from './sidebar-harness';

/** A rep fills in custom fields, writes notes and changes their own remark from the sidebar (DESIGN §10.4). */
describe('sidebar custom fields, notes and remark', () => {
  const db = useTestDatabase();
  let h: SidebarHarness;
  let alice: CookieJar;
  const admin = (path: string, method = 'GET', json?: unknown) =>
    h.request(`/api/v1${path}`, { bearer: h.adminKey, method, ...(json !== undefined ? { json } : {}) });

  beforeAll(async () => {
    h = await startSidebar(db);
    alice = (await h.login('alice')).jar;
    for (const d of [
      {
        key: 'kids',
        label: { 'zh-CN': '孩子数量', en: 'Children' },
        type: 'number',
        editableBy: ['operator', 'staff'],
      },
      {
        key: 'interests',
        label: { 'zh-CN': '兴趣', en: 'Interests' },
        type: 'multiEnum',
        options: ['户外', '阅读'],
        editableBy: ['operator', 'staff'],
      },
      { key: 'budget', label: { 'zh-CN': '预算', en: 'Budget' }, type: 'number' },
    ])
      expect((await admin('/attributes', 'POST', d)).status).toBe(201);
  });
  afterAll(() => h.close());

  it('shows the fields marked for staff, lets the rep fill them (source staff) but not the others', async () => {
    const before = await h.api(`/customers/${h.mine.externalUserId}`, { jar: alice });
    expect(before.body.fields.map((f: { key: string }) => f.key)).toEqual(['kids', 'interests']);
    // Only what WeCom itself gives (the contacts sync's wecom.* values) before the rep fills anything in.
    expect(Object.keys(before.body.attributes).filter((k) => !k.startsWith('wecom.'))).toEqual([]);
    const path = `/customers/${h.mine.externalUserId}/attributes`;
    expect((await h.api(path, { jar: alice, method: 'PATCH', json: { kids: 2 }, csrf: false })).status).toBe(403);
    const locked = await h.api(path, { jar: alice, method: 'PATCH', json: { budget: 100 } });
    expect(locked.status).toBe(403);
    expect(locked.body.error.code).toBe('NOT_EDITABLE');
    expect((await h.api(path, { jar: alice, method: 'PATCH', json: { kids: 'x' } })).status).toBe(422);
    const ok = await h.api(path, { jar: alice, method: 'PATCH', json: { kids: 2, interests: ['户外'] } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ kids: 2, interests: ['户外'] });
    const profile = await admin(`/customers/${before.body.id}`);
    expect(profile.body.attributeSources.kids).toMatchObject({ source: 'staff', by: 'wecom:alice' });
    expect(
      (
        await h.api(`/customers/${h.theirs.externalUserId}/attributes`, {
          jar: alice,
          method: 'PATCH',
          json: { kids: 1 },
        })
      ).status,
    ).toBe(403);
  });

  it('adds a note in the rep’s name, shown newest first in the sidebar and the profile', async () => {
    const r = await h.api(`/customers/${h.mine.externalUserId}/notes`, {
      jar: alice,
      method: 'POST',
      json: { text: '周末带孩子来店' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ text: '周末带孩子来店', author: 'wecom:alice', authorKind: 'staff' });
    const card = await h.api(`/customers/${h.mine.externalUserId}`, { jar: alice });
    expect(card.body.notes[0]).toMatchObject({ text: '周末带孩子来店' });
    expect(
      (await h.api(`/customers/${h.theirs.externalUserId}/notes`, { jar: alice, method: 'POST', json: { text: 'x' } }))
        .status,
    ).toBe(403);
  });

  it("queues the rep's own remark and description for WeCom, and nothing else", async () => {
    const path = `/customers/${h.mine.externalUserId}/remark`;
    expect((await h.api(path, { jar: alice, method: 'PATCH', json: { remarkMobiles: ['138'] } })).status).toBe(422);
    const r = await h.api(path, {
      jar: alice,
      method: 'PATCH',
      json: { remark: '王先生-户外', description: '两个孩子' },
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ userid: 'alice', status: 'queued', remark: '王先生-户外' });
    const rows = await select<{ op_key: string; payload: string }>(
      db.ds,
      "SELECT op_key, payload FROM outbox WHERE channel = 'wecom-remark'",
    );
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({
      userid: 'alice',
      remark: '王先生-户外',
      description: '两个孩子',
    });
  });
});
