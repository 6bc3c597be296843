import { startTestEmulator, type TestEmulator } from '../../helper';

describe('OA tags', () => {
  let t: TestEmulator;
  let access_token: string;
  let appId: string;
  let openids: string[];
  const post = (path: string, body: unknown) => t.oa.post(`${path}?access_token=${access_token}`, body);

  beforeEach(async () => {
    t = await startTestEmulator({ followers: 120, oaTags: 0 });
    access_token = await t.oaToken();
    appId = (await t.apps()).officialAccounts[0]!.appId;
    openids = (await t.oa.get('/cgi-bin/user/get', { params: { access_token } })).data.data.openid;
  });
  afterEach(() => t.close());

  it('rejects duplicate, empty and over-long names (45157 / 45158) and GET on create (43002)', async () => {
    expect((await post('/cgi-bin/tags/create', { tag: { name: '广东' } })).data).toEqual({
      tag: { id: 100, name: '广东' },
    });
    expect((await post('/cgi-bin/tags/create', { tag: { name: '广东' } })).data.errcode).toBe(45157);
    expect((await post('/cgi-bin/tags/create', { tag: { name: '' } })).data.errcode).toBe(45157);
    expect((await post('/cgi-bin/tags/create', { tag: { name: '一二三四五六七八九十一' } })).data.errcode).toBe(45158);
    expect((await post('/cgi-bin/tags/create', { tag: { name: 'a'.repeat(30) } })).data.tag.id).toBe(101);
    expect((await t.oa.get('/cgi-bin/tags/create', { params: { access_token } })).data.errcode).toBe(43002);
    expect((await post('/cgi-bin/tags/create', { name: 'x' })).data.errcode).toBe(47001);
  });

  it('caps custom tags at 100 (45056) and lists the reserved 星标组 with counts', async () => {
    for (let i = 0; i < 100; i++)
      expect((await post('/cgi-bin/tags/create', { tag: { name: `t${i}` } })).data.tag).toBeDefined();
    expect((await post('/cgi-bin/tags/create', { tag: { name: 'one more' } })).data.errcode).toBe(45056);
    const { data } = await t.oa.get('/cgi-bin/tags/get', { params: { access_token } });
    expect(data.tags).toHaveLength(101);
    expect(data.tags[0]).toEqual({ id: 2, name: '星标组', count: 0 });
  });

  it('protects reserved ids 0/1/2 (45058) and refuses unknown ids (45159)', async () => {
    for (const id of [0, 1, 2]) {
      expect((await post('/cgi-bin/tags/update', { tag: { id, name: 'x' } })).data.errcode).toBe(45058);
      expect((await post('/cgi-bin/tags/delete', { tag: { id } })).data.errcode).toBe(45058);
    }
    expect((await post('/cgi-bin/tags/update', { tag: { id: 999, name: 'x' } })).data.errcode).toBe(45159);
    expect((await post('/cgi-bin/tags/delete', { tag: { id: 999 } })).data.errcode).toBe(45159);
    expect(
      (await post('/cgi-bin/tags/members/batchtagging', { openid_list: [openids[0]], tagid: 999 })).data.errcode,
    ).toBe(45159);
  });

  it('updates and deletes a tag', async () => {
    const id = (await post('/cgi-bin/tags/create', { tag: { name: 'old' } })).data.tag.id;
    await post('/cgi-bin/tags/create', { tag: { name: 'taken' } });
    expect((await post('/cgi-bin/tags/update', { tag: { id, name: 'taken' } })).data.errcode).toBe(45157);
    expect((await post('/cgi-bin/tags/update', { tag: { id, name: 'new' } })).data).toEqual({
      errcode: 0,
      errmsg: 'ok',
    });
    expect((await post('/cgi-bin/tags/delete', { tag: { id } })).data).toEqual({ errcode: 0, errmsg: 'ok' });
    const names = (await t.oa.get('/cgi-bin/tags/get', { params: { access_token } })).data.tags.map(
      (x: { name: string }) => x.name,
    );
    expect(names).toEqual(['星标组', 'taken']);
  });

  it('batch (un)tagging takes 1..50 openids (40032), followers of this OA only (49003 / 40003)', async () => {
    const id = (await post('/cgi-bin/tags/create', { tag: { name: 'vip' } })).data.tag.id;
    expect((await post('/cgi-bin/tags/members/batchtagging', { openid_list: [], tagid: id })).data.errcode).toBe(40032);
    expect(
      (await post('/cgi-bin/tags/members/batchtagging', { openid_list: openids.slice(0, 51), tagid: id })).data.errcode,
    ).toBe(40032);
    expect(
      (await post('/cgi-bin/tags/members/batchuntagging', { openid_list: openids.slice(0, 51), tagid: id })).data
        .errcode,
    ).toBe(40032);
    const foreign = (await t.oa.get('/cgi-bin/user/get', { params: { access_token: await t.oaToken(1) } })).data.data
      .openid[0];
    expect(
      (await post('/cgi-bin/tags/members/batchtagging', { openid_list: [openids[0], foreign], tagid: id })).data
        .errcode,
    ).toBe(49003);
    expect(
      (await post('/cgi-bin/tags/members/batchtagging', { openid_list: ['oXXXXXXXXXXXXXXXXXXXXXXXXXXX'], tagid: id }))
        .data.errcode,
    ).toBe(40003);
    expect(
      (await post('/cgi-bin/tags/members/batchtagging', { openid_list: openids.slice(0, 50), tagid: id })).data,
    ).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(
      (await post('/cgi-bin/tags/members/batchuntagging', { openid_list: openids.slice(0, 10), tagid: id })).data
        .errcode,
    ).toBe(0);
    const tags = (await t.control.get(`/state/oa/${appId}/tags`, { params: { tagId: id } })).data.tags;
    expect(tags[0].count).toBe(40);
    expect(tags[0].openids).toEqual(openids.slice(10, 50));
    expect((await post('/cgi-bin/tags/getidlist', { openid: openids[20] })).data).toEqual({ tagid_list: [id] });
    expect((await post('/cgi-bin/tags/getidlist', { openid: 'nope' })).data.errcode).toBe(40003);
  });

  it('refuses a batch that would give any user more than 20 tags (45059), all or nothing', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 21; i++) ids.push((await post('/cgi-bin/tags/create', { tag: { name: `t${i}` } })).data.tag.id);
    for (const id of ids.slice(0, 20))
      await post('/cgi-bin/tags/members/batchtagging', { openid_list: [openids[0]], tagid: id });
    expect(
      (await post('/cgi-bin/tags/members/batchtagging', { openid_list: [openids[1], openids[0]], tagid: ids[20] })).data
        .errcode,
    ).toBe(45059);
    expect((await post('/cgi-bin/tags/getidlist', { openid: openids[1] })).data.tagid_list).toEqual([]);
    const info = (await t.oa.get('/cgi-bin/user/info', { params: { access_token, openid: openids[0] } })).data;
    expect(info.tagid_list).toEqual(ids.slice(0, 20));
  });

  it('user/tag/get pages a tag to the end; an unknown tag is 45159', async () => {
    expect((await post('/cgi-bin/user/tag/get', { tagid: 999 })).data.errcode).toBe(45159);
    const id = (await post('/cgi-bin/tags/create', { tag: { name: 'vip' } })).data.tag.id;
    expect((await post('/cgi-bin/user/tag/get', { tagid: id, next_openid: '' })).data).toEqual({
      count: 0,
      next_openid: '',
    });
    await post('/cgi-bin/tags/members/batchtagging', { openid_list: openids.slice(3, 8), tagid: id });
    const first = (await post('/cgi-bin/user/tag/get', { tagid: id, next_openid: '' })).data;
    expect(first).toEqual({ count: 5, data: { openid: openids.slice(3, 8) }, next_openid: openids[7] });
    expect((await post('/cgi-bin/user/tag/get', { tagid: id, next_openid: first.next_openid })).data).toEqual({
      count: 0,
      next_openid: '',
    });
  });

  it('drops tags on unfollow, so counts only cover followers', async () => {
    const id = (await post('/cgi-bin/tags/create', { tag: { name: 'vip' } })).data.tag.id;
    await post('/cgi-bin/tags/members/batchtagging', { openid_list: openids.slice(0, 3), tagid: id });
    await t.control.post(`/oa/${appId}/users/${openids[0]}/unsubscribe`);
    const tags = (await t.oa.get('/cgi-bin/tags/get', { params: { access_token } })).data.tags;
    expect(tags.find((x: { id: number }) => x.id === id).count).toBe(2);
    expect(
      (await post('/cgi-bin/tags/members/batchtagging', { openid_list: [openids[0]], tagid: id })).data.errcode,
    ).toBe(40003);
  });

  it('never emits a callback for API-made tag changes', async () => {
    const id = (await post('/cgi-bin/tags/create', { tag: { name: 'quiet' } })).data.tag.id;
    await post('/cgi-bin/tags/members/batchtagging', { openid_list: openids.slice(0, 5), tagid: id });
    const { data } = await t.control.get('/callbacks/deliveries');
    expect(data.deliveries).toEqual([]);
  });
});

describe('OA tag deletion above 100,000 fans', () => {
  let t: TestEmulator;
  afterEach(() => t.close());

  it('refuses with 45057 and allows it once fans are removed', async () => {
    t = await startTestEmulator({ followers: 100_001, oaTags: 0, wecomContacts: 0 });
    const access_token = await t.oaToken();
    const { appId } = (await t.apps()).officialAccounts[0]!;
    const id = (await t.oa.post(`/cgi-bin/tags/create?access_token=${access_token}`, { tag: { name: 'all' } })).data.tag
      .id;
    expect((await t.control.post(`/oa/${appId}/tags/${id}/members`, { allFollowers: true })).data.count).toBe(100_001);
    expect((await t.oa.post(`/cgi-bin/tags/delete?access_token=${access_token}`, { tag: { id } })).data.errcode).toBe(
      45057,
    );
    const one = (await t.oa.get('/cgi-bin/user/get', { params: { access_token } })).data.data.openid[0];
    await t.oa.post(`/cgi-bin/tags/members/batchuntagging?access_token=${access_token}`, {
      openid_list: [one],
      tagid: id,
    });
    expect((await t.oa.post(`/cgi-bin/tags/delete?access_token=${access_token}`, { tag: { id } })).data.errcode).toBe(
      0,
    );
  });
});
