import { randomUUID } from 'crypto';
import { PhoneCrypto } from '../../src/security/phone-crypto';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { startSyncHarness, type SyncHarness } from '../syncs/sync-harness';

interface Item {
  id: string;
  displayName: string | null;
  phone: string | null;
  identities: { type: string; value: string }[];
  tags: { id: string; name: string; source: string; groupName: string | null }[];
}

describe('customers API: list, search, filters, paging, timeline', () => {
  const db = useTestDatabase();
  let h: SyncHarness;
  let t: TestApp;
  let viewer: string;
  let admin: string;
  let operator: string;
  let all: string[];

  const ids = async (sql: string, params: unknown[] = []) =>
    ((await db.ds.query(sql, params)) as { id: string }[]).map((r) => r.id);
  const list = async (query: string, key = viewer) => {
    const res = await t.request(`/api/v1/customers${query}`, { key });
    expect(res.status).toBe(200);
    return res.body as { items: Item[]; nextCursor: string | null };
  };
  const everything = async (query: string) => {
    const out: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await list(
        `${query}${query ? '&' : '?'}limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      );
      out.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  };

  beforeAll(async () => {
    h = await startSyncHarness(db, { followers: 60, wecomContacts: 40, wecomStaff: 4, officialAccounts: 1 });
    expect((await (await h.rt.syncs.start(h.oa().id, 'followers')).done).status).toBe('done');
    expect((await (await h.rt.syncs.start(h.wecom().id, 'contacts')).done).status).toBe('done');
    t = await startTestApp(db.ds, h.config);
    viewer = await t.key('viewer');
    admin = await t.key('admin');
    operator = await t.key('operator');
    all = await ids("SELECT id FROM customers WHERE status = 'active' ORDER BY id DESC");
  });
  afterAll(async () => {
    await t.close();
    await h.close();
  });

  it('rejects a request without a key (401) and bad parameters (400)', async () => {
    expect((await t.request('/api/v1/customers')).status).toBe(401);
    for (const q of ['?channel=sms', '?limit=0', '?limit=abc', '?cursor=xyz', '?tag=abc', `?q=${'x'.repeat(129)}`]) {
      const res = await t.request(`/api/v1/customers${q}`, { key: viewer });
      expect([q, res.status, res.body.error.code]).toEqual([q, 400, 'BAD_REQUEST']);
    }
  });

  it('pages through every active customer newest first, each once', async () => {
    expect(all.length).toBeGreaterThan(60);
    expect(await everything('')).toEqual(all);
    const first = await list('?limit=3');
    expect(first.items[0]!.identities.length).toBeGreaterThan(0);
  });

  it('filters by channel: identity presence per channel, pay = has a transaction', async () => {
    expect(await everything('?channel=wecom')).toEqual(
      await ids(
        "SELECT DISTINCT c.id FROM customers c JOIN identities i ON i.customer_id = c.id AND i.type = 'wecom_external_userid' ORDER BY c.id DESC",
      ),
    );
    expect(await everything('?channel=oa')).toEqual(
      await ids(
        "SELECT DISTINCT c.id FROM customers c JOIN identities i ON i.customer_id = c.id AND i.type = 'oa_openid' ORDER BY c.id DESC",
      ),
    );
    expect(await everything('?channel=mp')).toEqual([]);
    const payer = all[5]!;
    await db.ds.query(
      "INSERT INTO transactions (mch_id, out_trade_no, amount_total, state, customer_id, success_time, created_at, updated_at) VALUES ('m1', 'T1', 990, 'SUCCESS', ?, '2030-01-01 00:00:00.000', '2030-01-01 00:00:00.000', '2030-01-01 00:00:00.000')",
      [payer],
    );
    expect(await everything('?channel=pay')).toEqual([payer]);
  });

  it('filters by tag id and shows each customer’s tags', async () => {
    await db.ds.query(
      "INSERT INTO tags (name, group_id, created_at, updated_at) VALUES ('高价值', 0, '2030-01-01 00:00:00.000', '2030-01-01 00:00:00.000')",
    );
    const [tag] = (await db.ds.query("SELECT id FROM tags WHERE name = '高价值'")) as { id: unknown }[];
    const tagged = [all[1]!, all[10]!, all[20]!];
    for (const c of tagged)
      await db.ds.query(
        "INSERT INTO customer_tags (customer_id, tag_id, source, created_at) VALUES (?, ?, 'manual', '2030-01-01 00:00:00.000')",
        [c, tag!.id],
      );
    const page = await list(`?tag=${String(tag!.id)}`);
    expect(page.items.map((i) => i.id)).toEqual(tagged);
    expect(page.items[0]!.tags).toEqual([{ id: String(tag!.id), name: '高价值', source: 'manual', groupName: null }]);
    expect((await list('?tag=999999')).items).toEqual([]);
  });

  it('searches display names, identity values and follow remarks by prefix', async () => {
    const [named] = (await db.ds.query(
      'SELECT id, display_name FROM customers WHERE display_name IS NOT NULL ORDER BY id LIMIT 1',
    )) as { id: string; display_name: string }[];
    const surname = named!.display_name.slice(0, 1);
    expect(await everything(`?q=${encodeURIComponent(surname)}`)).toEqual(
      await ids('SELECT id FROM customers WHERE display_name LIKE ? ORDER BY id DESC', [`${surname}%`]),
    );

    const [openid] = (await db.ds.query(
      "SELECT customer_id AS id, value FROM identities WHERE type = 'oa_openid' ORDER BY value LIMIT 1",
    )) as { id: string; value: string }[];
    expect((await list(`?q=${openid!.value}`)).items.map((i) => i.id)).toEqual([openid!.id]);

    const [follow] = (await db.ds.query('SELECT customer_id AS id FROM wecom_follows ORDER BY id LIMIT 1')) as {
      id: string;
    }[];
    await db.ds.query("UPDATE wecom_follows SET remark = '专属顾问100%' WHERE customer_id = ?", [follow!.id]);
    expect((await list(`?q=${encodeURIComponent('专属顾问100%')}`)).items.map((i) => i.id)).toEqual([follow!.id]);
    // LIKE wildcards in q are literal.
    expect((await list(`?q=${encodeURIComponent('专属_问')}`)).items).toEqual([]);
    expect((await list('?q=%25')).items).toEqual([]);

    const both = await everything(`?q=${encodeURIComponent(surname)}&channel=wecom`);
    expect(both.every((id) => all.includes(id))).toBe(true);
  });

  it('finds a customer by phone number for operators (masked) and admins (in full), never for viewers', async () => {
    const phones = new PhoneCrypto(h.config.security.dataKey);
    const target = all[3]!;
    const enc = phones.encrypt('13800138000');
    await db.ds.query('UPDATE customers SET phone_enc = ? WHERE id = ?', [enc, target]);
    await db.ds.query(
      "INSERT INTO identities (customer_id, type, scope, value, value_enc, source, verified, created_at, updated_at) VALUES (?, 'phone', 'default', ?, ?, 'mp.phone', 1, '2030-01-01 00:00:00.000', '2030-01-01 00:00:00.000')",
      [target, phones.hash('13800138000'), enc],
    );
    const seen = await list('?q=13800138000', operator);
    expect(seen.items.map((i) => i.id)).toEqual([target]);
    expect(seen.items[0]!.phone).toBe('138****8000');
    expect(seen.items[0]!.identities.find((i) => i.type === 'phone')!.value).toBe('138****8000');
    expect((await list('?q=13800138000', admin)).items[0]!.phone).toBe('13800138000');
    // A viewer's q never matches a phone: the answer for a customer's number is the one for nobody's.
    expect(await list('?q=13800138000')).toEqual({ items: [], nextCursor: null });
    expect(await list('?q=13800138001')).toEqual({ items: [], nextCursor: null });
  });

  it('timeline: rejects an unknown customer, pages newest first, follows a merged id to its survivor', async () => {
    expect((await t.request(`/api/v1/customers/${randomUUID()}/events`, { key: viewer })).status).toBe(404);
    expect((await t.request('/api/v1/customers/not-an-id/events', { key: viewer })).status).toBe(404);
    expect((await t.request(`/api/v1/customers/${all[0]}/events?cursor=@@`, { key: viewer })).status).toBe(400);
    const c = all[2]!;
    for (const [i, at] of [
      '2030-01-01 00:00:01.000',
      '2030-01-01 00:00:03.000',
      '2030-01-01 00:00:02.000',
      '2030-01-01 00:00:03.000',
    ].entries()) {
      await db.ds.query(
        "INSERT INTO events (customer_id, source, account, type, occurred_at, payload, dedupe_key, created_at) VALUES (?, 'official-account', 'wx', 'oa.message.text', ?, ?, ?, '2030-01-01 00:00:00.000')",
        [c, at, JSON.stringify({ n: i }), `t-${i}`],
      );
    }
    const merged = randomUUID();
    await db.ds.query(
      "INSERT INTO customers (id, status, merged_into_id, created_at, updated_at) VALUES (?, 'merged', ?, '2020-01-01 00:00:00.000', '2020-01-01 00:00:00.000')",
      [merged, c],
    );
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: {
        status: number;
        body: { customerId: string; items: { payload: { n: number } }[]; nextCursor: string | null };
      } = await t.request(`/api/v1/customers/${merged}/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        key: viewer,
      });
      expect(res.status).toBe(200);
      expect(res.body.customerId).toBe(c);
      seen.push(...res.body.items.map((e) => e.payload.n));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([3, 1, 2, 0]);
  });
});
