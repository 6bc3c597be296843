import { randomUUID } from 'crypto';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { ProfileService } from '../../src/customers/profile.service';
import { findCustomer } from '../../src/storage/customers/customer.repository';
import { PhoneCrypto } from '../../src/security/phone-crypto';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

const APP = 'wxprofileapp000001';
const MP = 'wxprofilemp0000001';
const PLATFORM = 'op_profile';
const T0 = '2024-05-06 07:08:09.123';

/**
 * The profile read (one UNION ALL statement, DESIGN §9) gives the exact `Customer` JSON of DESIGN §8.3 — every
 * part, its order, its types on both drivers — by identity and by id, follows merge chains, hides erased
 * customers, masks phones for non-admins, and the key check still stops a revoked key at once.
 */
describe('customer profile: lookup and by id', () => {
  let db: TestDatabase;
  let t: TestApp;
  let viewer: string;
  let admin: string;
  let phones: PhoneCrypto;
  const sql = (q: string, params: unknown[] = []) => db.ds.query(q, params);
  const customer = (
    id: string,
    status: string,
    extra: { mergedInto?: string; name?: string; phoneEnc?: string } = {},
  ) =>
    sql(
      'INSERT INTO customers (id, status, merged_into_id, display_name, avatar_url, phone_enc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        id,
        status,
        extra.mergedInto ?? null,
        extra.name ?? null,
        extra.name ? 'https://img.example/a.png' : null,
        extra.phoneEnc ?? null,
        T0,
        '2024-06-01 00:00:00.000',
      ],
    );
  const identity = (customerId: string, type: string, scope: string, value: string, valueEnc: string | null = null) =>
    sql(
      "INSERT INTO identities (customer_id, type, scope, value, value_enc, source, verified, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'test', 1, ?, ?)",
      [customerId, type, scope, value, valueEnc, T0, T0],
    );
  const lookup = (type: string, scope: string, value: string, key = viewer) =>
    t.request(`/api/v1/customers/lookup?type=${type}&scope=${scope}&value=${encodeURIComponent(value)}`, { key });

  const rich = randomUUID();
  let tagA: string;
  let tagB: string;
  let groupId: (chatId: string) => string;
  let channelId: (code: string) => string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const account = {
      kind: 'official-account',
      name: '品牌服务号',
      appId: APP,
      appSecret: 's',
      token: 't',
      openPlatformId: PLATFORM,
    };
    const corp = {
      kind: 'wecom',
      name: '示例品牌',
      corpId: 'wwcorp',
      contactSecret: 's',
      token: 't',
      encodingAESKey: 'k'.repeat(43),
    };
    t = await startTestApp(
      db.ds,
      testConfig(db.url, { accounts: [account, corp], security: { dataKey: 'b'.repeat(64) } }),
    );
    phones = new PhoneCrypto(t.app.config.security.dataKey);
    [viewer, admin] = await Promise.all([t.key('viewer'), t.key('admin')]);

    const enc = phones.encrypt('13812345678');
    await customer(rich, 'active', { name: '王芳', phoneEnc: enc });
    await identity(rich, 'oa_openid', APP, 'o-prof-1');
    await identity(rich, 'unionid', PLATFORM, 'u-prof-1');
    await identity(rich, 'mp_openid', MP, 'mp-prof-1');
    await identity(rich, 'phone', 'default', phones.hash('13812345678'), enc);

    for (const [name, deleted] of [
      ['b-tag', null],
      ['A-tag', null],
      ['gone', '2024-01-01 00:00:00.000'],
    ] as const) {
      await sql('INSERT INTO tags (name, group_id, created_at, updated_at, deleted_at) VALUES (?, 0, ?, ?, ?)', [
        name,
        T0,
        T0,
        deleted,
      ]);
    }
    const tagIds = (await sql("SELECT id, name FROM tags WHERE name IN ('A-tag', 'b-tag', 'gone')")) as {
      id: unknown;
      name: string;
    }[];
    const tagId = (n: string) => String(tagIds.find((r) => r.name === n)!.id);
    [tagA, tagB] = [tagId('A-tag'), tagId('b-tag')];
    for (const [tag, source] of [
      [tagB, 'manual'],
      [tagA, 'rule'],
      [tagA, 'manual'],
      [tagId('gone'), 'manual'],
    ]) {
      await sql('INSERT INTO customer_tags (customer_id, tag_id, source, created_at) VALUES (?, ?, ?, ?)', [
        rich,
        tag,
        source,
        T0,
      ]);
    }

    await sql(
      "INSERT INTO wecom_follows (corp_id, staff_userid, external_userid, customer_id, remark, description, add_way, state, created_time, deleted, deleted_at, tags, created_at, updated_at) VALUES ('wwcorp', 's1', 'wm-prof-1', ?, '老客户', NULL, 1, 'ch1', '2024-02-03 04:05:06.000', 0, NULL, '[]', ?, ?)",
      [rich, T0, T0],
    );
    await sql(
      "INSERT INTO wecom_follows (corp_id, staff_userid, external_userid, customer_id, remark, description, add_way, state, created_time, deleted, deleted_at, tags, created_at, updated_at) VALUES ('wwcorp', 's2', 'wm-prof-1', ?, NULL, 'vip', NULL, NULL, '2024-02-04 00:00:00.000', 1, '2024-03-01 00:00:00.000', '[]', ?, ?)",
      [rich, T0, T0],
    );
    await sql(
      "INSERT INTO wecom_staff (corp_id, userid, name, departments, status, created_at, updated_at) VALUES ('wwcorp', 's1', '李娜', '[]', 'active', ?, ?)",
      [T0, T0],
    );
    await sql(
      "INSERT INTO oa_subscriptions (app_id, openid, customer_id, subscribed, subscribe_time, unsubscribe_time, scene, qr_scene, qr_scene_str, remark, created_at, updated_at) VALUES (?, 'o-prof-1', ?, 1, '2024-02-01 00:00:00.000', NULL, 'ADD_SCENE_QR_CODE', NULL, 'spring', NULL, ?, ?)",
      [APP, rich, T0, T0],
    );
    // Groups: the customer's external_userid is a current member of two active groups (listed by join time), left
    // a third, is in a dismissed fourth; the same userid in another corp is someone else.
    await identity(rich, 'wecom_external_userid', 'wwcorp', 'wm-prof-1');
    for (const [corp, chat, name, status] of [
      ['wwcorp', 'wr-new', '新品体验群', 'active'],
      ['wwcorp', 'wr-old', '老客户福利群', 'active'],
      ['wwcorp', 'wr-left', '售后群', 'active'],
      ['wwcorp', 'wr-gone', '已解散群', 'dismissed'],
      ['wwother', 'wr-other', '别家群', 'active'],
    ] as const) {
      await sql(
        'INSERT INTO wecom_groups (corp_id, chat_id, name, status, owner_status, member_count, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 1, ?, ?)',
        [corp, chat, name, status, T0, T0],
      );
    }
    for (const [corp, chat, joined, left] of [
      ['wwcorp', 'wr-new', '2024-03-01 10:00:00.000', null],
      ['wwcorp', 'wr-old', '2024-02-01 09:00:00.000', null],
      ['wwcorp', 'wr-left', '2024-01-01 00:00:00.000', '2024-01-05 00:00:00.000'],
      ['wwcorp', 'wr-gone', '2024-01-02 00:00:00.000', null],
      ['wwother', 'wr-other', '2024-01-03 00:00:00.000', null],
    ] as const) {
      await sql(
        "INSERT INTO wecom_group_members (corp_id, chat_id, userid, member_type, join_time, join_scene, left_at, created_at, updated_at) VALUES (?, ?, 'wm-prof-1', 2, ?, 3, ?, ?, ?)",
        [corp, chat, joined, left, T0, T0],
      );
    }
    const groupIds = (await sql("SELECT id, chat_id FROM wecom_groups WHERE corp_id = 'wwcorp'")) as {
      id: unknown;
      chat_id: string;
    }[];
    groupId = (chat: string) => String(groupIds.find((r) => r.chat_id === chat)!.id);
    // Channels: two codes brought the customer, the later-first one listed second; a deleted channel stays listed.
    for (const [name, code, deleted] of [
      ['春季海报', 'ch_spring', null],
      ['门店导购', 'ch_store', '2024-06-01 00:00:00.000'],
    ] as const) {
      await sql(
        "INSERT INTO channels (name, kind, account_id, code, permanent, skip_verify, tag_ids, deleted_at, created_at, updated_at) VALUES (?, 'oa-qrcode', ?, ?, 1, 0, '[]', ?, ?, ?)",
        [name, APP, code, deleted, T0, T0],
      );
    }
    const channelRows = (await sql('SELECT id, code FROM channels')) as { id: unknown; code: string }[];
    channelId = (code: string) => String(channelRows.find((r) => r.code === code)!.id);
    for (const [code, first, last] of [
      ['ch_store', '2024-02-03 00:00:00.000', '2024-02-03 00:00:00.000'],
      ['ch_spring', '2024-02-01 00:00:00.000', '2024-04-01 08:00:00.000'],
    ] as const) {
      await sql(
        'INSERT INTO customer_channels (customer_id, channel_id, first_at, last_at, touches) VALUES (?, ?, ?, ?, 1)',
        [rich, channelId(code), first, last],
      );
    }
    for (const [no, amount, refunded, state, at] of [
      ['T-1', 1000, 0, 'SUCCESS', '2025-01-01 00:00:00.000'],
      ['T-2', 1500, 500, 'REFUND', '2025-01-02 03:04:05.000'],
      ['T-3', 999, 0, 'NOTPAY', null],
    ] as const) {
      await sql(
        'INSERT INTO transactions (mch_id, out_trade_no, amount_total, refunded_total, state, customer_id, success_time, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['m1', no, amount, refunded, state, rich, at, T0, T0],
      );
    }
    // 22 events, pairs sharing a millisecond: the newest 20 by time, then by id, both descending.
    for (let i = 0; i < 22; i++) {
      const at = `2024-07-01 00:00:${String(Math.floor(i / 2)).padStart(2, '0')}.000`;
      await sql(
        "INSERT INTO events (customer_id, source, account, type, occurred_at, payload, dedupe_key, created_at) VALUES (?, 'official-account', ?, 'oa.message.text', ?, ?, ?, ?)",
        [rich, APP, at, JSON.stringify({ n: i, text: '你好' }), `prof-${i}`, T0],
      );
    }
    // Custom fields: a number, a multiEnum and a sealed pii text; a value whose definition is gone is not shown.
    for (const [key, type, pii] of [
      ['children', 'number', 0],
      ['interests', 'multiEnum', 0],
      ['idcard', 'text', 1],
    ] as const) {
      await sql(
        "INSERT INTO attribute_definitions (attr_key, label_zh, label_en, type, options, pii, editable_by, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, '[]', ?, ?)",
        [key, key, key, type, pii, T0, T0],
      );
    }
    for (const [key, text, num, enc] of [
      ['children', null, 2, null],
      ['interests', '["户外","阅读"]', null, null],
      ['idcard', null, null, t.app.phoneCrypto.seal('"110101199003071234"')],
      ['gone', 'x', null, null],
    ] as const) {
      await sql(
        "INSERT INTO customer_attributes (customer_id, attr_key, value_text, value_num, value_enc, source, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, 'manual', 'ops', ?)",
        [rich, key, text, num, enc, T0],
      );
    }
    // 22 notes, pairs sharing a millisecond: the newest 20, newest first.
    for (let i = 0; i < 22; i++) {
      const at = `2024-08-01 00:00:${String(Math.floor(i / 2)).padStart(2, '0')}.000`;
      await sql(
        "INSERT INTO customer_notes (customer_id, text, author, author_kind, created_at) VALUES (?, ?, 'wecom:s1', 'staff', ?)",
        [rich, `记录 ${i}`, at],
      );
    }
    // Consents in row order; a consent tied to no channel shows channel null.
    for (const [purpose, channel, granted] of [
      ['marketing', '', 0],
      ['subscribe_msg:TPL_1', 'mp', 1],
    ] as const)
      await sql(
        "INSERT INTO consents (customer_id, purpose, channel, granted, source, at, updated_at) VALUES (?, ?, ?, ?, 'crm', ?, ?)",
        [rich, purpose, channel, granted, T0, T0],
      );
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  const expected = (phone: string, lastPurchaseDays: number, idcard = '1****************4') => ({
    id: rich,
    status: 'active',
    name: '王芳',
    nameSource: 'displayName',
    displayName: '王芳',
    avatarUrl: 'https://img.example/a.png',
    phone,
    createdAt: '2024-05-06T07:08:09.123Z',
    updatedAt: '2024-06-01T00:00:00.000Z',
    identities: [
      { type: 'oa_openid', scope: APP, value: 'o-prof-1', scopeName: '品牌服务号' },
      { type: 'unionid', scope: PLATFORM, value: 'u-prof-1', scopeName: null },
      { type: 'mp_openid', scope: MP, value: 'mp-prof-1', scopeName: null },
      { type: 'phone', scope: 'default', value: phone, scopeName: null },
      { type: 'wecom_external_userid', scope: 'wwcorp', value: 'wm-prof-1', scopeName: '示例品牌' },
    ],
    unionidMissing: [
      { type: 'mp_openid', scope: MP },
      { type: 'wecom_external_userid', scope: 'wwcorp' },
    ],
    tags: [
      { id: tagA, name: 'A-tag', source: 'manual', groupName: null },
      { id: tagA, name: 'A-tag', source: 'rule', groupName: null },
      { id: tagB, name: 'b-tag', source: 'manual', groupName: null },
    ],
    follows: [
      {
        corpId: 'wwcorp',
        corpName: '示例品牌',
        staffUserId: 's1',
        staffName: '李娜',
        externalUserId: 'wm-prof-1',
        remark: '老客户',
        description: null,
        addWay: 1,
        state: 'ch1',
        createdTime: '2024-02-03T04:05:06.000Z',
        deleted: false,
        deletedAt: null,
      },
      {
        corpId: 'wwcorp',
        corpName: '示例品牌',
        staffUserId: 's2',
        staffName: null,
        externalUserId: 'wm-prof-1',
        remark: null,
        description: 'vip',
        addWay: null,
        state: null,
        createdTime: '2024-02-04T00:00:00.000Z',
        deleted: true,
        deletedAt: '2024-03-01T00:00:00.000Z',
      },
    ],
    subscriptions: [
      {
        appId: APP,
        accountName: '品牌服务号',
        openid: 'o-prof-1',
        subscribed: true,
        subscribeTime: '2024-02-01T00:00:00.000Z',
        unsubscribeTime: null,
        scene: 'ADD_SCENE_QR_CODE',
        qrScene: 'spring',
        remark: null,
      },
    ],
    groups: [
      {
        id: groupId('wr-old'),
        corpId: 'wwcorp',
        chatId: 'wr-old',
        name: '老客户福利群',
        joinedAt: '2024-02-01T09:00:00.000Z',
      },
      {
        id: groupId('wr-new'),
        corpId: 'wwcorp',
        chatId: 'wr-new',
        name: '新品体验群',
        joinedAt: '2024-03-01T10:00:00.000Z',
      },
    ],
    channels: [
      {
        id: channelId('ch_spring'),
        name: '春季海报',
        firstAt: '2024-02-01T00:00:00.000Z',
        lastAt: '2024-04-01T08:00:00.000Z',
      },
      {
        id: channelId('ch_store'),
        name: '门店导购',
        firstAt: '2024-02-03T00:00:00.000Z',
        lastAt: '2024-02-03T00:00:00.000Z',
      },
    ],
    attributes: { children: 2, interests: ['户外', '阅读'], idcard },
    attributeSources: Object.fromEntries(
      ['children', 'interests', 'idcard'].map((k) => [
        k,
        { source: 'manual', by: 'ops', at: '2024-05-06T07:08:09.123Z' },
      ]),
    ),
    consents: [
      { purpose: 'marketing', channel: null, granted: false, source: 'crm', at: '2024-05-06T07:08:09.123Z' },
      { purpose: 'subscribe_msg:TPL_1', channel: 'mp', granted: true, source: 'crm', at: '2024-05-06T07:08:09.123Z' },
    ],
    notes: Array.from({ length: 20 }, (_, k) => 21 - k).map((n) => ({
      id: expect.any(String),
      text: `记录 ${n}`,
      author: 'wecom:s1',
      authorKind: 'staff',
      createdAt: `2024-08-01T00:00:${String(Math.floor(n / 2)).padStart(2, '0')}.000Z`,
    })),
    rfm: {
      orders: 2,
      totalSpent: 2000,
      totalRefunded: 500,
      firstPurchaseAt: '2025-01-01T00:00:00.000Z',
      lastPurchaseAt: '2025-01-02T03:04:05.000Z',
      daysSinceLastPurchase: lastPurchaseDays,
    },
    recentEvents: Array.from({ length: 20 }, (_, k) => 21 - k).map((n) => ({
      id: expect.any(String),
      source: 'official-account',
      account: APP,
      type: 'oa.message.text',
      occurredAt: `2024-07-01T00:00:${String(Math.floor(n / 2)).padStart(2, '0')}.000Z`,
      payload: { n, text: '你好' },
    })),
  });
  const days = () => Math.floor((Date.now() - Date.parse('2025-01-02T03:04:05.000Z')) / 86_400_000);

  it('answers lookup and by-id with the whole Customer JSON, every part in its order, phones masked for a viewer', async () => {
    const byOpenid = await lookup('oa_openid', APP, 'o-prof-1');
    expect(byOpenid.status).toBe(200);
    expect(byOpenid.body).toEqual(expected('138****5678', days()));
    const ids = (byOpenid.body.recentEvents as { id: string }[]).map((e) => BigInt(e.id));
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1]!)).toBe(true);
    const byId = await t.request(`/api/v1/customers/${rich}`, { key: viewer });
    expect(byId.body).toEqual(byOpenid.body);
    const sidebar = await new ProfileService({ config: t.app.config, phoneCrypto: phones, now: Date.now }).profile(
      db.ds,
      (await findCustomer(db.ds, rich))!,
      'viewer',
    );
    expect(JSON.parse(JSON.stringify(sidebar))).toEqual(byOpenid.body);
  });

  it('shows phones in full to an admin, by phone number and by unionid', async () => {
    expect((await lookup('phone', '', '13812345678', admin)).body).toEqual(
      expected('13812345678', days(), '110101199003071234'),
    );
    expect((await lookup('unionid', '', 'u-prof-1')).status).toBe(404);
    expect((await lookup('unionid', PLATFORM, 'u-prof-1')).body.id).toBe(rich);
  });

  it('orders tags as ORDER BY name, source does in the database collation', async () => {
    const c = randomUUID();
    await customer(c, 'active');
    const names = ['vip', 'VIP客户', '高价值', 'B2', 'b-tag', 'Zeta', 'ä-tag', 'a-tag2'];
    for (const name of names)
      await sql('INSERT INTO tags (name, group_id, created_at, updated_at) VALUES (?, 1, ?, ?)', [name, T0, T0]);
    const ids = (await sql(`SELECT id FROM tags WHERE group_id = 1`)) as { id: unknown }[];
    for (const [i, { id }] of ids.entries()) {
      for (const source of i % 2 ? ['staff', 'manual'] : ['rule'])
        await sql('INSERT INTO customer_tags (customer_id, tag_id, source, created_at) VALUES (?, ?, ?, ?)', [
          c,
          id,
          source,
          T0,
        ]);
    }
    const inDb = (await sql(
      'SELECT t.id, t.name, ct.source FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = ? ORDER BY t.name, ct.source',
      [c],
    )) as { id: unknown; name: string; source: string }[];
    const res = await t.request(`/api/v1/customers/${c}`, { key: viewer });
    expect(res.body.tags).toEqual(
      inDb.map((r) => ({ id: String(r.id), name: r.name, source: r.source, groupName: null })),
    );
    expect(res.body.tags).toHaveLength(12);
  });

  it('follows a merge chain to the survivor, by id and by an identity still on a merged customer', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await customer(c, 'active', { name: '终点' });
    await customer(b, 'merged', { mergedInto: c });
    await customer(a, 'merged', { mergedInto: b });
    await identity(c, 'oa_openid', APP, 'o-chain-c');
    await identity(a, 'oa_openid', APP, 'o-chain-a');
    for (const res of [
      await t.request(`/api/v1/customers/${a}`, { key: viewer }),
      await lookup('oa_openid', APP, 'o-chain-a'),
    ]) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: c,
        status: 'active',
        displayName: '终点',
        identities: [{ type: 'oa_openid', scope: APP, value: 'o-chain-c', scopeName: '品牌服务号' }],
      });
    }
  });

  it('404s erased customers, ids merged into them, unknown ids and identities', async () => {
    const [erased, mergedIntoErased] = [randomUUID(), randomUUID()];
    await customer(erased, 'erased');
    await customer(mergedIntoErased, 'merged', { mergedInto: erased });
    await identity(erased, 'oa_openid', APP, 'o-erased');
    for (const path of [erased, mergedIntoErased, randomUUID()]) {
      const res = await t.request(`/api/v1/customers/${path}`, { key: viewer });
      expect([path, res.status, res.body.error.code]).toEqual([path, 404, 'NOT_FOUND']);
    }
    expect((await lookup('oa_openid', APP, 'o-erased')).status).toBe(404);
    expect((await lookup('oa_openid', APP, 'o-nobody')).status).toBe(404);
    expect((await lookup('phone', '', '13900000000', admin)).status).toBe(404);
  });

  it("refuses a viewer a lookup by phone with the same answer whether or not the number is a customer's", async () => {
    const known = await lookup('phone', '', '13812345678');
    const unknown = await lookup('phone', '', '13900000000');
    expect(known.status).toBe(403);
    expect(known.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    expect({ status: unknown.status, body: unknown.body }).toEqual({ status: known.status, body: known.body });
  });

  it('stops a revoked key on the next lookup and stamps last use at most once a minute', async () => {
    const keys = new ApiKeyService(db.ds);
    const { key, info } = await keys.create('profile-temp', 'viewer');
    expect((await lookup('oa_openid', APP, 'o-prof-1', key)).status).toBe(200);
    const stamp = async () =>
      ((await sql('SELECT last_used_at FROM api_keys WHERE id = ?', [info.id])) as { last_used_at: unknown }[])[0]!
        .last_used_at;
    const first = await stamp();
    expect(first).not.toBeNull();
    expect((await t.request(`/api/v1/customers/${rich}`, { key })).status).toBe(200);
    expect(String(await stamp())).toBe(String(first));
    expect(await keys.revoke('profile-temp')).toBe(1);
    const denied = await lookup('oa_openid', APP, 'o-prof-1', key);
    expect([denied.status, denied.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
    expect((await t.request(`/api/v1/customers/${rich}`, { key })).status).toBe(401);
  });
});
