import { startTestEmulator, type TestEmulator, type WxAppView } from '../../helper';

describe('H5 OAuth', () => {
  let t: TestEmulator;
  let oa: WxAppView;
  const authorize = (params: Record<string, string>) =>
    t.http.get('/open.weixin.qq.com/connect/oauth2/authorize', {
      params: { appid: oa.appId, response_type: 'code', ...params },
      maxRedirects: 0,
    });
  const exchange = (code: string, extra: Record<string, string> = {}) =>
    t.oa.get('/sns/oauth2/access_token', {
      params: { appid: oa.appId, secret: oa.appSecret, code, grant_type: 'authorization_code', ...extra },
    });
  const codeFrom = (location: string) => new URL(location).searchParams.get('code')!;

  beforeEach(async () => {
    t = await startTestEmulator();
    oa = (await t.apps()).officialAccounts[0]!;
  });
  afterEach(() => t.close());

  it('shows WeChat error pages for missing parameters and an unknown scope', async () => {
    expect((await authorize({ scope: 'snsapi_base', state: 's' })).data).toContain('10011');
    expect((await authorize({ redirect_uri: 'https://h5.example.com/cb', state: 's' })).data).toContain('10010');
    expect((await authorize({ redirect_uri: 'https://h5.example.com/cb', scope: 'snsapi_login' })).data).toContain(
      '10005',
    );
    expect(
      (
        await t.http.get('/open.weixin.qq.com/connect/oauth2/authorize', {
          params: { appid: 'wxnope', redirect_uri: 'https://x/cb', scope: 'snsapi_base' },
        })
      ).data,
    ).toContain('10016');
    await t.control.patch(`/apps/${oa.appId}`, { oauthDomain: 'h5.brand.com' });
    expect((await authorize({ redirect_uri: 'https://evil.com/cb', scope: 'snsapi_base' })).data).toContain('10003');
  });

  it('redirects to redirect_uri?code=…&state=…, and the code works once (40163)', async () => {
    const r = await authorize({ redirect_uri: 'https://h5.example.com/cb?x=1', scope: 'snsapi_base', state: 'abc123' });
    expect(r.status).toBe(302);
    const url = new URL(r.headers.location);
    expect(url.origin + url.pathname).toBe('https://h5.example.com/cb');
    expect(url.searchParams.get('x')).toBe('1');
    expect(url.searchParams.get('state')).toBe('abc123');
    const { data } = await exchange(codeFrom(r.headers.location));
    expect(Object.keys(data).sort()).toEqual(['access_token', 'expires_in', 'openid', 'refresh_token', 'scope']);
    expect(data.scope).toBe('snsapi_base');
    expect((await exchange(codeFrom(r.headers.location))).data.errcode).toBe(40163);
    expect((await exchange('unknown')).data.errcode).toBe(40029);
  });

  it('expires codes after 5 minutes (42003)', async () => {
    const r = await authorize({ redirect_uri: 'https://h5.example.com/cb', scope: 'snsapi_base', state: 's' });
    await t.advance(300);
    expect((await exchange(codeFrom(r.headers.location))).data.errcode).toBe(42003);
  });

  it('gives unionid only for snsapi_userinfo on a bound OA; snsapi_base tokens get 48001 on /sns/userinfo', async () => {
    const person = (await t.control.post('/persons', {})).data.persons[0].personId;
    await t.control.post('/oauth/visitors', { appId: oa.appId, personId: person });
    const base = await exchange(
      codeFrom((await authorize({ redirect_uri: 'https://h5.example.com/cb', scope: 'snsapi_base' })).headers.location),
    );
    expect(base.data.unionid).toBeUndefined();
    expect(
      (await t.oa.get('/sns/userinfo', { params: { access_token: base.data.access_token, openid: base.data.openid } }))
        .data.errcode,
    ).toBe(48001);
    const info = await exchange(
      codeFrom(
        (
          await authorize({
            redirect_uri: 'https://h5.example.com/cb',
            scope: 'snsapi_userinfo',
            emulator_person: String(person),
          })
        ).headers.location,
      ),
    );
    expect(info.data.openid).toBe(base.data.openid);
    expect(info.data.unionid).toMatch(/^o/);
    const u = await t.oa.get('/sns/userinfo', {
      params: { access_token: info.data.access_token, openid: info.data.openid, lang: 'zh_CN' },
    });
    expect(u.data).toMatchObject({
      openid: info.data.openid,
      unionid: info.data.unionid,
      sex: 0,
      province: '',
      city: '',
      country: '',
      privilege: [],
    });
    expect(typeof u.data.nickname).toBe('string');
    expect(
      (await t.oa.get('/sns/userinfo', { params: { access_token: info.data.access_token, openid: 'other' } })).data
        .errcode,
    ).toBe(40003);
    const truth = (await t.control.get(`/truth/persons/${person}`)).data;
    expect(truth.identities).toEqual(
      expect.arrayContaining([
        { type: 'h5_openid', scope: oa.appId, value: info.data.openid },
        { type: 'unionid', scope: oa.openPlatformId, value: info.data.unionid },
      ]),
    );
  });

  it('redirects with state only when a visitor refuses snsapi_userinfo, and marks snapshot users', async () => {
    await t.control.post('/oauth/visitors', { appId: oa.appId, consent: false });
    const refused = await authorize({
      redirect_uri: 'https://h5.example.com/cb',
      scope: 'snsapi_userinfo',
      state: 'z',
    });
    expect(new URL(refused.headers.location).search).toBe('?state=z');
    await t.control.post('/oauth/visitors', { appId: oa.appId, snapshot: true });
    const snap = await exchange(
      codeFrom(
        (await authorize({ redirect_uri: 'https://h5.example.com/cb', scope: 'snsapi_userinfo' })).headers.location,
      ),
    );
    expect(snap.data.is_snapshotuser).toBe(1);
  });

  it('refresh_token: 40030 when unknown, keeps a live access_token, renews an expired one, 42002 after 30 days', async () => {
    const g = (
      await exchange(
        codeFrom(
          (await authorize({ redirect_uri: 'https://h5.example.com/cb', scope: 'snsapi_base' })).headers.location,
        ),
      )
    ).data;
    const refresh = (refresh_token: string) =>
      t.oa.get('/sns/oauth2/refresh_token', {
        params: { appid: oa.appId, grant_type: 'refresh_token', refresh_token },
      });
    expect((await refresh('nope')).data.errcode).toBe(40030);
    await t.advance(100);
    const same = (await refresh(g.refresh_token)).data;
    expect(same).toMatchObject({
      access_token: g.access_token,
      expires_in: 7200,
      refresh_token: g.refresh_token,
      openid: g.openid,
      scope: 'snsapi_base',
    });
    await t.advance(7300);
    expect(
      (await t.oa.get('/sns/auth', { params: { access_token: g.access_token, openid: g.openid } })).data.errcode,
    ).toBe(42001);
    const renewed = (await refresh(g.refresh_token)).data;
    expect(renewed.access_token).not.toBe(g.access_token);
    expect(
      (await t.oa.get('/sns/auth', { params: { access_token: renewed.access_token, openid: g.openid } })).data,
    ).toEqual({ errcode: 0, errmsg: 'ok' });
    await t.advance(30 * 86_400);
    expect((await refresh(g.refresh_token)).data.errcode).toBe(42002);
  });

  it('/sns/auth rejects a missing token (41001), an unknown one (40014) and a wrong openid (40003)', async () => {
    expect((await t.oa.get('/sns/auth', { params: { openid: 'x' } })).data.errcode).toBe(41001);
    expect((await t.oa.get('/sns/auth', { params: { access_token: 'nope', openid: 'x' } })).data.errcode).toBe(40014);
    const g = (
      await exchange(
        codeFrom(
          (await authorize({ redirect_uri: 'https://h5.example.com/cb', scope: 'snsapi_base' })).headers.location,
        ),
      )
    ).data;
    expect(
      (await t.oa.get('/sns/auth', { params: { access_token: g.access_token, openid: 'other' } })).data.errcode,
    ).toBe(40003);
  });
});
