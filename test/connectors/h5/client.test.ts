import type { H5Client } from '../../../connectors/h5/client';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

describe('H5Client (OA web OAuth)', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let h5: H5Client;
  let appId: string;
  const code = async (scope: 'snsapi_base' | 'snsapi_userinfo') =>
    (await env.control.post(`/oa/${appId}/oauth-codes`, { scope })).data as { code: string; openid: string };

  beforeAll(async () => {
    env = await startEmulatorClients(db.url);
    appId = env.oaAppId();
    h5 = env.clients(db.ds).h5(appId);
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetCounters());

  it('rejects a code used twice with INVALID_CODE (40163)', async () => {
    const c = await code('snsapi_base');
    await h5.exchangeCode(c.code);
    await expect(h5.exchangeCode(c.code)).rejects.toMatchObject({
      errcode: 40163,
      category: 'INVALID_CODE',
      api: 'sns/oauth2/access_token',
    });
  });

  it('a snsapi_base web token cannot read userinfo (48001), and the shared token is never fetched', async () => {
    const c = await code('snsapi_base');
    const t = await h5.exchangeCode(c.code);
    expect(t).toMatchObject({
      openid: c.openid,
      scope: 'snsapi_base',
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    expect(t.unionid ?? undefined).toBeUndefined();
    await expect(h5.userInfo(t.access_token, t.openid)).rejects.toMatchObject({
      errcode: 48001,
      category: 'PERMISSION_DENIED',
    });
    expect((await env.calls('api.weixin.qq.com/cgi-bin/stable_token')).calls).toBe(0);
  });

  it('snsapi_userinfo: token with unionid, userinfo, refresh, and sns/auth validity', async () => {
    const c = await code('snsapi_userinfo');
    const t = await h5.exchangeCode(c.code);
    expect(t).toMatchObject({ openid: c.openid, scope: 'snsapi_userinfo', unionid: expect.any(String) });
    await expect(h5.userInfo(t.access_token, t.openid)).resolves.toMatchObject({
      openid: c.openid,
      unionid: t.unionid,
    });
    await expect(h5.checkToken(t.access_token, t.openid)).resolves.toBe(true);
    await expect(h5.checkToken('not-a-web-token', t.openid)).resolves.toBe(false);
    const refreshed = await h5.refreshToken(t.refresh_token);
    expect(refreshed).toMatchObject({ openid: c.openid, access_token: expect.any(String) });
    await expect(h5.refreshToken('bogus-refresh-token')).rejects.toMatchObject({ category: 'INVALID_CODE' });
  });

  it('builds the authorize URL on the account oauthBase with #wechat_redirect', () => {
    const url = new URL(h5.authorizeUrl('https://shop.example.com/cb?x=1', 'snsapi_userinfo', 'abc123'));
    expect(url.pathname).toBe('/open.weixin.qq.com/connect/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appid: appId,
      redirect_uri: 'https://shop.example.com/cb?x=1',
      response_type: 'code',
      scope: 'snsapi_userinfo',
      state: 'abc123',
    });
    expect(url.hash).toBe('#wechat_redirect');
  });
});
