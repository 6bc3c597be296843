import { startTestEmulator, type TestEmulator } from '../../helper';

describe('WeCom external contacts', () => {
  let t: TestEmulator;
  let corpId: string;
  let token: string;
  const get = (params: Record<string, string>) =>
    t.wecom.get('/cgi-bin/externalcontact/get', { params: { access_token: token, ...params } });

  beforeAll(async () => {
    t = await startTestEmulator({ wecomStaff: 1200, wecomContacts: 300 });
    corpId = (await t.apps()).corps[0]!.corpId;
    token = await t.wecomToken();
  });
  afterAll(() => t.close());

  it('get rejects an unknown external_userid (40096), a missing one (41035) and a bad cursor (50100)', async () => {
    expect((await get({ external_userid: 'wmXXXXXXXXXXXXXXXXXXXXXXXXXXXX' })).data.errcode).toBe(40096);
    expect((await get({})).data.errcode).toBe(41035);
    const ext = (await t.control.get(`/state/wecom/${corpId}/relations`, { params: { limit: 1 } })).data.relations[0]
      .externalUserId;
    expect((await get({ external_userid: ext, cursor: 'garbage' })).data.errcode).toBe(50100);
  });

  it('get pages follow_user 500 at a time through an opaque next_cursor', async () => {
    const c = (await t.control.post(`/wecom/${corpId}/contacts`, { followerCount: 1050 })).data;
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const { data } = await get({ external_userid: c.externalUserId, ...(cursor ? { cursor } : {}) });
      expect(data.errcode).toBe(0);
      expect(data.external_contact.external_userid).toBe(c.externalUserId);
      sizes.push(data.follow_user.length);
      seen.push(...data.follow_user.map((f: { userid: string }) => f.userid));
      cursor = data.next_cursor;
    } while (cursor);
    expect(sizes).toEqual([500, 500, 50]);
    expect(seen).toEqual(c.followers);
    const other = (await t.control.post(`/wecom/${corpId}/contacts`, { followerCount: 501 })).data;
    const firstPage = (await get({ external_userid: c.externalUserId })).data.next_cursor;
    expect((await get({ external_userid: other.externalUserId, cursor: firstPage })).data.errcode).toBe(50100);
  });

  it('get returns the documented contact and follow_user fields; unionid only for WeChat users of a bound corp', async () => {
    const c = (
      await t.control.post(`/wecom/${corpId}/contacts`, {
        followers: [
          {
            userid: (await followUsers())[0],
            remark: '李部长',
            description: '采购',
            addWay: 1,
            state: 'teststate',
            byCustomer: true,
          },
        ],
      })
    ).data;
    const { data } = await get({ external_userid: c.externalUserId });
    expect(c.externalUserId).toMatch(/^wm[\w-]{28}$/);
    expect(Object.keys(data.external_contact)).toEqual([
      'external_userid',
      'name',
      'avatar',
      'type',
      'gender',
      'unionid',
    ]);
    expect(data.follow_user[0]).toMatchObject({
      remark: '李部长',
      description: '采购',
      add_way: 1,
      state: 'teststate',
      oper_userid: c.externalUserId,
      tags: [],
      remark_mobiles: [],
    });
    const owner = (
      await t.control.get('/truth/owner', { params: { type: 'unionid', value: data.external_contact.unionid } })
    ).data;
    expect(owner.personId).toBe(c.personId);
    const w = (await t.control.post(`/wecom/${corpId}/contacts`, { type: 2, followerCount: 1 })).data;
    const wo = (await get({ external_userid: w.externalUserId })).data.external_contact;
    expect(w.externalUserId).toMatch(/^wo/);
    expect(wo.unionid).toBeUndefined();
    expect(wo).toMatchObject({
      type: 2,
      corp_name: expect.any(String),
      corp_full_name: expect.any(String),
      position: expect.any(String),
    });
  });

  it('get answers 84061 once every member deleted the customer; one-way relations remain listed', async () => {
    const [u1, u2] = await followUsers();
    const c = (await t.control.post(`/wecom/${corpId}/contacts`, { followers: [{ userid: u1 }, { userid: u2 }] })).data;
    await t.control.post(`/wecom/${corpId}/relations/delete`, {
      userid: u2,
      externalUserId: c.externalUserId,
      by: 'customer',
    });
    expect((await get({ external_userid: c.externalUserId })).data.follow_user).toHaveLength(2);
    await t.control.post(`/wecom/${corpId}/relations/delete`, {
      userid: u1,
      externalUserId: c.externalUserId,
      by: 'member',
    });
    await t.control.post(`/wecom/${corpId}/relations/delete`, {
      userid: u2,
      externalUserId: c.externalUserId,
      by: 'member',
    });
    expect((await get({ external_userid: c.externalUserId })).data.errcode).toBe(84061);
  });

  async function followUsers(): Promise<string[]> {
    return (await t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', { params: { access_token: token } }))
      .data.follow_user;
  }

  it('list rejects an unknown userid (40003), answers 84061 for a member without customers, else all customers', async () => {
    expect(
      (await t.wecom.get('/cgi-bin/externalcontact/list', { params: { access_token: token, userid: 'nobody' } })).data
        .errcode,
    ).toBe(40003);
    const lonely = (await t.control.post(`/wecom/${corpId}/staff`, { userid: 'lonely' })).data.userid;
    expect(
      (await t.wecom.get('/cgi-bin/externalcontact/list', { params: { access_token: token, userid: lonely } })).data
        .errcode,
    ).toBe(84061);
    const u = (await followUsers())[0]!;
    const { data } = await t.wecom.get('/cgi-bin/externalcontact/list', { params: { access_token: token, userid: u } });
    const truth = (
      await t.control.get(`/state/wecom/${corpId}/relations`, { params: { userid: u } })
    ).data.relations.map((r: { externalUserId: string }) => r.externalUserId);
    expect(data.external_userid).toEqual(truth);
    expect(await followUsers()).toContain('lonely');
  });
});

describe('WeCom batch/get_by_user', () => {
  let t: TestEmulator;
  let corpId: string;
  let token: string;
  const byUser = (body: unknown) =>
    t.wecom.post(`/cgi-bin/externalcontact/batch/get_by_user?access_token=${token}`, body);
  const followUsers = async (): Promise<string[]> =>
    (await t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', { params: { access_token: token } })).data
      .follow_user;

  beforeAll(async () => {
    t = await startTestEmulator({ wecomStaff: 5, wecomContacts: 400 });
    corpId = (await t.apps()).corps[0]!.corpId;
    token = await t.wecomToken();
  });
  afterAll(() => t.close());

  it('batch/get_by_user rejects 0 or 101 userids (40058), unknown userids (40003) and bad cursors (50100)', async () => {
    const users = await followUsers();
    expect((await byUser({ userid_list: [] })).data.errcode).toBe(40058);
    expect(
      (await byUser({ userid_list: Array.from({ length: 101 }, (_, i) => users[i % users.length]) })).data.errcode,
    ).toBe(40058);
    expect((await byUser({ userid_list: ['nobody'] })).data.errcode).toBe(40003);
    expect((await byUser({ userid_list: users.slice(0, 2), cursor: 'bad' })).data.errcode).toBe(50100);
  });

  it('batch/get_by_user clamps limit to 100, defaults to 50 and pages every relation once', async () => {
    const users = await followUsers();
    expect((await byUser({ userid_list: users, limit: 500 })).data.external_contact_list).toHaveLength(100);
    expect((await byUser({ userid_list: users })).data.external_contact_list).toHaveLength(50);
    const pairs: string[] = [];
    let cursor = '';
    for (let i = 0; i < 100; i++) {
      const { data } = await byUser({ userid_list: users, cursor, limit: 100 });
      expect(data.errcode).toBe(0);
      for (const e of data.external_contact_list) {
        expect(Object.keys(e)).toEqual(['external_contact', 'follow_info']);
        expect(Array.isArray(e.follow_info.tag_id)).toBe(true);
        pairs.push(`${e.follow_info.userid}/${e.external_contact.external_userid}`);
      }
      cursor = data.next_cursor;
      if (!cursor) break;
    }
    const expected: string[] = [];
    for (const u of users) {
      const rels = (await t.control.get(`/state/wecom/${corpId}/relations`, { params: { userid: u } })).data.relations;
      expected.push(...rels.map((r: { externalUserId: string }) => `${u}/${r.externalUserId}`));
    }
    expect(pairs).toEqual(expected);
    expect(new Set(pairs).size).toBe(pairs.length);
  });
});
