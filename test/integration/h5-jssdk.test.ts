import { useTestDatabase } from '../helpers/describe-db';
import { SHOP, startFrontDoors, type FrontDoorHarness } from './h5-harness';

describe('GET /h5/:appId/jssdk-config', () => {
  const db = useTestDatabase();
  let h: FrontDoorHarness;
  let appId: string;

  beforeAll(async () => {
    h = await startFrontDoors(db);
    appId = h.oaAppId();
  });
  afterAll(() => h.close());

  const config = (url: string | undefined, app = appId, headers: Record<string, string> = {}) =>
    h.request(`/h5/${app}/jssdk-config${url === undefined ? '' : `?url=${encodeURIComponent(url)}`}`, { headers });
  const verify = async (url: string, c: { timestamp: number; nonceStr: string; signature: string }) =>
    (
      await h.control.post('/jssdk/verify', {
        appId,
        url,
        noncestr: c.nonceStr,
        timestamp: c.timestamp,
        signature: c.signature,
      })
    ).data as { ok: boolean };

  it('refuses a page off the allow-list, a missing url (400) and an unknown appId (404)', async () => {
    for (const url of ['https://evil.example/page', 'https://shop.example.com.evil.example/', 'not a url', undefined]) {
      const res = await config(url);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('URL_NOT_ALLOWED');
    }
    const unknown = await config(`${SHOP}/p`, 'wx-not-configured');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('returns wx.config values signed with the shared jsapi ticket, on the gateway clock', async () => {
    const page = `${SHOP}/item/42?from=share&lang=zh_CN`;
    const res = await config(page);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['appId', 'nonceStr', 'signature', 'timestamp']);
    expect(res.body.appId).toBe(appId);
    expect(res.body.nonceStr).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(res.body.signature).toMatch(/^[0-9a-f]{40}$/);
    expect(Math.abs(res.body.timestamp - h.emu.state.clock.nowSeconds())).toBeLessThanOrEqual(1);
    expect(await verify(page, res.body)).toEqual({ ok: true });
    expect(await verify(`${SHOP}/item/43`, res.body)).toMatchObject({ ok: false });
  });

  it('signs the URL without its fragment, keeping the query string as sent', async () => {
    const res = await config(`${SHOP}/spa/?a=1&b=%E4%B8%AD#/route?x=2`);
    expect(await verify(`${SHOP}/spa/?a=1&b=%E4%B8%AD`, res.body)).toEqual({ ok: true });
  });

  it('reuses the stored ticket: no getticket call per request', async () => {
    await h.control.delete('/counters');
    for (let i = 0; i < 5; i++) expect((await config(`${SHOP}/p${i}`)).status).toBe(200);
    const counters = (await h.control.get('/counters')).data.counters as Record<string, { calls: number }>;
    expect(counters['api.weixin.qq.com/cgi-bin/ticket/getticket']?.calls ?? 0).toBe(0);
  });

  it('answers CORS for allowed origins only', async () => {
    const ok = await config(`${SHOP}/p`, appId, { origin: SHOP });
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(ok.headers.get('vary')).toMatch(/Origin/);
    const foreign = await config(`${SHOP}/p`, appId, { origin: 'https://evil.example' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await h.request(`/h5/${appId}/jssdk-config`, {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
  });

  it('a failing ticket fetch is a 502, not a 500', async () => {
    await db.ds.query('DELETE FROM access_tokens');
    const fresh = await startFrontDoors(db);
    try {
      await fresh.control.post('/chaos', {
        rules: [{ api: 'api.weixin.qq.com/cgi-bin/ticket/getticket', errcode: -1, rate: 1 }],
      });
      const res = await fresh.request(`/h5/${fresh.oaAppId()}/jssdk-config?url=${encodeURIComponent(`${SHOP}/p`)}`);
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE');
    } finally {
      await fresh.close();
    }
  });
});
