import { startTestEmulator, type TestEmulator } from '../../helper';

describe('WeCom Web login (wwlogin/sso/login)', () => {
  let t: TestEmulator;
  let corpId: string;
  let agentId: number;
  let token: string;
  const login = (params: Record<string, string | number>) =>
    t.http.get('/login.work.weixin.qq.com/wwlogin/sso/login', { params, maxRedirects: 0 });
  const base = () => ({
    login_type: 'CorpApp',
    appid: corpId,
    agentid: agentId,
    redirect_uri: 'https://gw.example.com/auth/wecom/callback',
    state: 'S1',
    lang: 'zh',
  });

  beforeAll(async () => {
    t = await startTestEmulator();
    const corp = (await t.apps()).corps[0]!;
    corpId = corp.corpId;
    agentId = corp.agentId;
    token = await t.wecomToken(0, 'agent');
  });
  afterAll(() => t.close());

  it('refuses a wrong agentid, an unknown corp and a redirect outside the trusted domain on its own page', async () => {
    const wrongAgent = await login({ ...base(), agentid: agentId + 1 });
    expect(wrongAgent.status).toBe(200);
    expect(wrongAgent.data).toContain('40056');
    expect((await login({ ...base(), appid: 'wwnope' })).data).toContain('40013');
    expect((await t.control.patch(`/apps/${corpId}`, { oauthDomain: 'console.brand.example' })).status).toBe(200);
    try {
      const untrusted = await login(base());
      expect(untrusted.status).toBe(200);
      expect(untrusted.data).toContain('50001');
      const oauth = await t.http.get('/open.weixin.qq.com/connect/oauth2/authorize', {
        params: { appid: corpId, redirect_uri: 'https://gw.example.com/x', scope: 'snsapi_base', state: 's' },
        maxRedirects: 0,
      });
      expect(oauth.data).toContain('50001');
      const trusted = await login({ ...base(), redirect_uri: 'https://console.brand.example/auth/wecom/callback' });
      expect(trusted.status).toBe(302);
    } finally {
      await t.control.patch(`/apps/${corpId}`, { oauthDomain: null });
    }
  });

  it('signs the visitor set through the control API in, with a code auth/getuserinfo turns into their userid', async () => {
    const staff = (
      await t.wecom.get('/cgi-bin/externalcontact/get_follow_user_list', {
        params: { access_token: await t.wecomToken() },
      })
    ).data.follow_user as string[];
    const who = staff[staff.length - 1]!;
    await t.control.post('/oauth/visitors', { appId: corpId, userid: who });
    const r = await login(base());
    expect(r.status).toBe(302);
    const loc = new URL(r.headers.location);
    expect(loc.origin + loc.pathname).toBe('https://gw.example.com/auth/wecom/callback');
    expect(loc.searchParams.get('state')).toBe('S1');
    const code = loc.searchParams.get('code')!;
    const info = (await t.wecom.get('/cgi-bin/auth/getuserinfo', { params: { access_token: token, code } })).data;
    expect(info).toEqual({ errcode: 0, errmsg: 'ok', userid: who });
    const again = (await t.wecom.get('/cgi-bin/auth/getuserinfo', { params: { access_token: token, code } })).data;
    expect(again.errcode).toBe(40029);
  });
});
