import { startTestEmulator, type TestEmulator } from '../../helper';

async function scan(
  t: TestEmulator,
  access_token: string,
): Promise<{ openids: string[]; pages: { total: number; count: number; next_openid: string }[] }> {
  const openids: string[] = [];
  const pages = [];
  let next: string | undefined;
  for (let i = 0; i < 100; i++) {
    const { data } = await t.oa.get('/cgi-bin/user/get', {
      params: { access_token, ...(next ? { next_openid: next } : {}) },
    });
    pages.push({ total: data.total, count: data.count, next_openid: data.next_openid });
    if (data.count === 0) break;
    openids.push(...data.data.openid);
    next = data.next_openid;
    if (!next) break;
  }
  return { openids, pages };
}

describe('OA user/get paging', () => {
  let t: TestEmulator;
  afterEach(() => t.close());

  it('rejects an unknown next_openid with 40003', async () => {
    t = await startTestEmulator();
    const { data } = await t.oa.get('/cgi-bin/user/get', {
      params: { access_token: await t.oaToken(), next_openid: 'oNOTANOPENIDxxxxxxxxxxxxxxxx' },
    });
    expect(data.errcode).toBe(40003);
  });

  it('pages 10,000 at a time to the end; the last page keeps next_openid and one more call returns count 0', async () => {
    t = await startTestEmulator({ followers: 25_000, wecomContacts: 0 });
    const { openids, pages } = await scan(t, await t.oaToken());
    expect(pages.map((p) => p.count)).toEqual([10_000, 10_000, 5000, 0]);
    expect(pages.every((p) => p.total === 25_000)).toBe(true);
    expect(pages[2]!.next_openid).toBe(openids[openids.length - 1]);
    expect(pages[3]!.next_openid).toBe('');
    expect(new Set(openids).size).toBe(25_000);
    expect(openids.every((o) => /^o[\w-]{27}$/.test(o))).toBe(true);
  });

  it('ends with an empty next_openid on the last page in short-page mode, skipping unfollowers', async () => {
    t = await startTestEmulator({ followers: 10_000, wecomContacts: 0, followerListEnding: 'short-page' });
    const access_token = await t.oaToken();
    const first = await scan(t, access_token);
    expect(first.pages.map((p) => [p.count, p.next_openid])).toEqual([[10_000, '']]);
    const { appId } = (await t.apps()).officialAccounts[0]!;
    await t.control.post(`/oa/${appId}/users/${first.openids[5]}/unsubscribe`);
    const second = await scan(t, access_token);
    expect(second.openids).toHaveLength(9999);
    expect(second.pages[0]!.total).toBe(9999);
  });
});

describe('OA user/info, batchget, updateremark', () => {
  let t: TestEmulator;
  let access_token: string;
  let openids: string[];
  let appId: string;
  beforeAll(async () => {
    t = await startTestEmulator({ followers: 300 });
    access_token = await t.oaToken();
    openids = (await t.oa.get('/cgi-bin/user/get', { params: { access_token } })).data.data.openid;
    appId = (await t.apps()).officialAccounts[0]!.appId;
  });
  afterAll(() => t.close());

  it('rejects an openid of another app and garbage with 40003', async () => {
    const mpUser = (await t.control.post(`/mp/${(await t.apps()).miniPrograms[0]!.appId}/users`, {})).data.openid;
    for (const openid of [mpUser, 'garbage', '']) {
      expect((await t.oa.get('/cgi-bin/user/info', { params: { access_token, openid } })).data.errcode).toBe(40003);
    }
  });

  it('returns the documented fields, unionid for a bound OA, and no nickname/avatar', async () => {
    const { data } = await t.oa.get('/cgi-bin/user/info', {
      params: { access_token, openid: openids[0], lang: 'zh_CN' },
    });
    expect(Object.keys(data)).toEqual([
      'subscribe',
      'openid',
      'language',
      'subscribe_time',
      'unionid',
      'remark',
      'groupid',
      'tagid_list',
      'subscribe_scene',
      'qr_scene',
      'qr_scene_str',
    ]);
    expect(data.subscribe).toBe(1);
    expect(data.unionid).toMatch(/^o[\w-]{27}$/);
    const truth = (await t.control.get('/truth/owner', { params: { type: 'unionid', value: data.unionid } })).data;
    const owner = (
      await t.control.get('/truth/owner', { params: { type: 'oa_openid', scope: appId, value: data.openid } })
    ).data;
    expect(truth.personId).toBe(owner.personId);
  });

  it('omits unionid on an OA not bound to an open platform', async () => {
    const token2 = await t.oaToken(1);
    const o = (await t.oa.get('/cgi-bin/user/get', { params: { access_token: token2 } })).data.data.openid[0];
    const { data } = await t.oa.get('/cgi-bin/user/info', { params: { access_token: token2, openid: o } });
    expect(data.subscribe).toBe(1);
    expect(data.unionid).toBeUndefined();
  });

  it('answers subscribe:0 with the openid only for a former follower', async () => {
    const { data: u } = await t.control.post(`/oa/${appId}/users`, { subscribed: false });
    const { data } = await t.oa.get('/cgi-bin/user/info', { params: { access_token, openid: u.users[0].openid } });
    expect(data).toEqual({ subscribe: 0, openid: u.users[0].openid });
  });

  it('batchget rejects 0 and 101 openids (40032), a form body (47001) and GET (43002)', async () => {
    const url = `/cgi-bin/user/info/batchget?access_token=${access_token}`;
    expect((await t.oa.post(url, { user_list: [] })).data.errcode).toBe(40032);
    expect(
      (await t.oa.post(url, { user_list: openids.slice(0, 101).map((openid) => ({ openid })) })).data.errcode,
    ).toBe(40032);
    expect(
      (await t.oa.post(url, 'user_list=x', { headers: { 'content-type': 'application/x-www-form-urlencoded' } })).data
        .errcode,
    ).toBe(47001);
    expect((await t.oa.get(url)).data.errcode).toBe(43002);
    expect((await t.oa.post(url, { user_list: [{ openid: 'bad' }] })).data.errcode).toBe(40003);
  });

  it('batchget returns one element per openid in order, 100 at most', async () => {
    const list = openids.slice(0, 100);
    const { data } = await t.oa.post(`/cgi-bin/user/info/batchget?access_token=${access_token}`, {
      user_list: list.map((openid) => ({ openid, lang: 'zh_CN' })),
    });
    expect(data.user_info_list.map((u: { openid: string }) => u.openid)).toEqual(list);
  });

  it('updateremark rejects a remark over 30 bytes (40092) and needs a verified account (48001)', async () => {
    const url = `/cgi-bin/user/info/updateremark?access_token=${access_token}`;
    expect((await t.oa.post(url, { openid: openids[1], remark: '一二三四五六七八九十一' })).data.errcode).toBe(40092);
    expect((await t.oa.post(url, { openid: 'bad', remark: 'x' })).data.errcode).toBe(40003);
    expect((await t.oa.post(url, { openid: openids[1], remark: 'VIP客户' })).data).toEqual({
      errcode: 0,
      errmsg: 'ok',
    });
    expect((await t.oa.get('/cgi-bin/user/info', { params: { access_token, openid: openids[1] } })).data.remark).toBe(
      'VIP客户',
    );
    await t.control.patch(`/apps/${appId}`, { verified: false });
    expect((await t.oa.post(url, { openid: openids[1], remark: 'x' })).data.errcode).toBe(48001);
    await t.control.patch(`/apps/${appId}`, { verified: true });
  });

  it('refuses a Mini Program token and a per-user H5 token on OA user APIs (48001)', async () => {
    const mp = await t.mpToken();
    expect((await t.oa.get('/cgi-bin/user/get', { params: { access_token: mp } })).data.errcode).toBe(48001);
    const { data: code } = await t.control.post(`/oa/${appId}/oauth-codes`, { scope: 'snsapi_base' });
    const a = (await t.apps()).officialAccounts[0]!;
    const sns = await t.oa.get('/sns/oauth2/access_token', {
      params: { appid: a.appId, secret: a.appSecret, code: code.code, grant_type: 'authorization_code' },
    });
    expect(
      (await t.oa.get('/cgi-bin/user/get', { params: { access_token: sns.data.access_token } })).data.errcode,
    ).toBe(48001);
  });
});
