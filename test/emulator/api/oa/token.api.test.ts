import { startTestEmulator, type TestEmulator } from '../../helper';

describe('OA /cgi-bin/token', () => {
  let t: TestEmulator;
  let appid: string;
  let secret: string;
  const token = (q: Record<string, string>) =>
    t.oa.get('/cgi-bin/token', { params: { grant_type: 'client_credential', appid, secret, ...q } });
  const probe = (access_token: string) => t.oa.get('/cgi-bin/tags/get', { params: { access_token } });

  beforeEach(async () => {
    t = await startTestEmulator();
    const a = (await t.apps()).officialAccounts[0]!;
    [appid, secret] = [a.appId, a.appSecret];
  });
  afterEach(() => t.close());

  it('rejects bad credentials with HTTP 200 and the documented errcodes', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ secret: 'wrong' }, 40125],
      [{ appid: 'wx0000000000000000' }, 40013],
      [{ grant_type: 'password' }, 40002],
      [{ appid: '' }, 41002],
      [{ secret: '' }, 41004],
    ];
    for (const [q, errcode] of cases) {
      const r = await token(q);
      expect(r.status).toBe(200);
      expect(r.data.errcode).toBe(errcode);
      expect(r.data.errmsg).toMatch(/ rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    }
  });

  it('returns only access_token and expires_in on success', async () => {
    const r = await token({});
    expect(Object.keys(r.data).sort()).toEqual(['access_token', 'expires_in']);
    expect(r.data.expires_in).toBe(7200);
    expect(r.data.access_token.length).toBeGreaterThan(100);
  });

  it('mints a new token per call and keeps the previous one valid for 300 s, then 40001', async () => {
    const first = (await token({})).data.access_token;
    const second = (await token({})).data.access_token;
    expect(second).not.toBe(first);
    // The emulator clock is real time plus an offset: leave a few real seconds of slack for a loaded machine.
    await t.advance(295);
    expect((await probe(first)).data.errcode).toBeUndefined();
    await t.advance(5);
    expect((await probe(first)).data.errcode).toBe(40001);
    expect((await probe(second)).data.tags).toBeDefined();
  });

  it('expires a token after 7200 s (42001) and rejects unknown tokens (40014) and missing ones (41001)', async () => {
    const tok = (await token({})).data.access_token;
    await t.advance(7195);
    expect((await probe(tok)).data.tags).toBeDefined();
    await t.advance(5);
    expect((await probe(tok)).data.errcode).toBe(42001);
    expect((await probe('not-a-token')).data.errcode).toBe(40014);
    expect((await t.oa.get('/cgi-bin/tags/get')).data.errcode).toBe(41001);
  });

  it('counts 2000 calls per Beijing day, then 45009 until the next day', async () => {
    await t.control.post('/limits', { api: 'api.weixin.qq.com/cgi-bin/token', perDay: 3 });
    for (let i = 0; i < 3; i++) expect((await token({})).data.access_token).toBeDefined();
    expect((await token({})).data.errcode).toBe(45009);
    await t.advance(86_400);
    expect((await token({})).data.access_token).toBeDefined();
    await t.control.post('/limits', { reset: true });
    const { data } = await t.control.get('/limits');
    expect(data.overrides).toEqual([]);
  });

  it('has the documented default daily quotas (token 2000, user/get 500, updateremark 10,000)', async () => {
    const access_token = (await token({})).data.access_token;
    const quota = async (cgi_path: string) =>
      (await t.oa.post(`/cgi-bin/openapi/quota/get?access_token=${access_token}`, { cgi_path })).data.quota;
    expect(await quota('/cgi-bin/token')).toEqual({ daily_limit: 2000, used: 1, remain: 1999 });
    expect((await quota('/cgi-bin/user/get')).daily_limit).toBe(500);
    expect((await quota('/cgi-bin/user/info/updateremark')).daily_limit).toBe(10_000);
  });

  it('applies an IP allow-list to OA token calls (40164)', async () => {
    await t.control.patch(`/apps/${appid}`, { ipWhitelist: ['10.0.0.1'] });
    expect((await token({})).data.errcode).toBe(40164);
    await t.control.patch(`/apps/${appid}`, { ipWhitelist: ['127.0.0.1'] });
    expect((await token({})).data.access_token).toBeDefined();
  });
});

describe('OA /cgi-bin/stable_token', () => {
  let t: TestEmulator;
  let appid: string;
  let secret: string;
  const stable = (extra: Record<string, unknown> = {}) =>
    t.oa.post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid, secret, ...extra });
  const probe = (access_token: string) => t.oa.get('/cgi-bin/tags/get', { params: { access_token } });

  beforeEach(async () => {
    t = await startTestEmulator();
    const a = (await t.apps()).officialAccounts[0]!;
    [appid, secret] = [a.appId, a.appSecret];
  });
  afterEach(() => t.close());

  it('rejects GET (43002), form bodies (47001), empty bodies (44002) and a wrong secret (40125)', async () => {
    expect(
      (await t.oa.get('/cgi-bin/stable_token', { params: { grant_type: 'client_credential', appid, secret } })).data
        .errcode,
    ).toBe(43002);
    const form = await t.oa.post(
      '/cgi-bin/stable_token',
      `grant_type=client_credential&appid=${appid}&secret=${secret}`,
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    );
    expect(form.data.errcode).toBe(47001);
    expect((await t.oa.post('/cgi-bin/stable_token', undefined)).data.errcode).toBe(44002);
    expect((await stable({ secret: 'nope' })).data.errcode).toBe(40125);
  });

  it('returns the same token while valid and rotates in the last 300 s with both tokens valid', async () => {
    const a = (await stable()).data;
    await t.advance(100);
    const b = (await stable()).data;
    expect(b.access_token).toBe(a.access_token);
    expect([7099, 7100]).toContain(b.expires_in); // plus at most one real second
    await t.advance(6800);
    const c = (await stable()).data;
    expect(c.access_token).not.toBe(a.access_token);
    expect(c.expires_in).toBe(7200);
    expect((await stable()).data.access_token).toBe(c.access_token);
    expect((await probe(a.access_token)).data.tags).toBeDefined();
    await t.advance(300);
    expect((await probe(a.access_token)).data.errcode).toBe(42001);
    expect((await probe(c.access_token)).data.tags).toBeDefined();
  });

  /** Moves the emulator clock to 01:00 of the next Beijing day, so ten minutes of refreshes stay inside one day. */
  const startOfBeijingDay = async () => {
    const { now } = (await t.control.get('/clock')).data as { now: number };
    await t.advance(86_400 - ((now + 8 * 3600) % 86_400) + 3600);
  };

  it('force_refresh invalidates the previous token, needs 30 s between refreshes and allows 20 a day', async () => {
    await startOfBeijingDay();
    const a = (await stable()).data.access_token;
    const b = (await stable({ force_refresh: true })).data.access_token;
    expect(b).not.toBe(a);
    expect((await probe(a)).data.errcode).toBe(40001);
    expect((await stable({ force_refresh: true })).data.access_token).toBe(b);
    for (let i = 0; i < 19; i++) {
      await t.advance(30);
      expect((await stable({ force_refresh: true })).data.access_token).toBeDefined();
    }
    await t.advance(30);
    expect((await stable({ force_refresh: true })).data.errcode).toBe(45009);
    expect((await stable()).data.access_token).toBeDefined();
    await startOfBeijingDay();
    expect((await stable({ force_refresh: true })).data.access_token).toBeDefined();
  });

  it('is isolated from /cgi-bin/token', async () => {
    const s = (await stable()).data.access_token;
    for (let i = 0; i < 3; i++)
      await t.oa.get('/cgi-bin/token', { params: { grant_type: 'client_credential', appid, secret } });
    await t.advance(301);
    expect((await probe(s)).data.tags).toBeDefined();
    expect((await stable()).data.access_token).toBe(s);
  });

  it('rejects a non-boolean force_refresh as a data format error', async () => {
    expect((await stable({ force_refresh: 'yes' })).data.errcode).toBe(47001);
  });
});

describe('OA quota and tickets', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.close());

  it('rejects a getticket type other than jsapi/wx_card, then caches the jsapi ticket for 7200 s', async () => {
    const access_token = await t.oaToken();
    expect((await t.oa.get('/cgi-bin/ticket/getticket', { params: { access_token, type: 'foo' } })).data.errcode).toBe(
      40097,
    );
    const a = (await t.oa.get('/cgi-bin/ticket/getticket', { params: { access_token, type: 'jsapi' } })).data;
    expect(a).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    await t.advance(10);
    const b = (await t.oa.get('/cgi-bin/ticket/getticket', { params: { access_token, type: 'jsapi' } })).data;
    expect(b.ticket).toBe(a.ticket);
    // Real seconds pass on the emulator clock too: 10 s advanced, plus at most one more of wall time.
    expect([7189, 7190]).toContain(b.expires_in);
    const mp = await t.mpToken();
    expect(
      (await t.oa.get('/cgi-bin/ticket/getticket', { params: { access_token: mp, type: 'jsapi' } })).data.errcode,
    ).toBe(48001);
  });

  it('reports quota use and clears it at most 10 times a month (48006)', async () => {
    const access_token = await t.oaToken();
    const { appId } = (await t.apps()).officialAccounts[0]!;
    await t.oa.get('/cgi-bin/user/get', { params: { access_token } });
    const q = await t.oa.post(`/cgi-bin/openapi/quota/get?access_token=${access_token}`, {
      cgi_path: '/cgi-bin/user/get',
    });
    expect(q.data.quota).toEqual({ daily_limit: 500, used: 1, remain: 499 });
    expect(
      (await t.oa.post(`/cgi-bin/clear_quota?access_token=${access_token}`, { appid: 'wx_other' })).data.errcode,
    ).toBe(40013);
    for (let i = 0; i < 10; i++)
      expect(
        (await t.oa.post(`/cgi-bin/clear_quota?access_token=${access_token}`, { appid: appId })).data.errcode,
      ).toBe(0);
    expect((await t.oa.post(`/cgi-bin/clear_quota?access_token=${access_token}`, { appid: appId })).data.errcode).toBe(
      48006,
    );
    const after = await t.oa.post(`/cgi-bin/openapi/quota/get?access_token=${access_token}`, {
      cgi_path: '/cgi-bin/user/get',
    });
    expect(after.data.quota.used).toBe(0);
  });
});
