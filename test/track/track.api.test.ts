import { useTestDatabase } from '../helpers/describe-db';
import { clearTables } from '../helpers/test-db';
import { fromJsonText } from '../../src/storage/sql-values';
import { CookieJar, SHOP, startFrontDoors, type FrontDoorHarness } from '../integration/h5-harness';

interface EventRow {
  customer_id: string;
  source: string;
  account: string;
  type: string;
  payload: unknown;
  dedupe_key: string;
}

describe('POST /track', () => {
  const db = useTestDatabase();
  let h: FrontDoorHarness;
  let mp: string;
  let oa: string;

  beforeAll(async () => {
    h = await startFrontDoors(db);
    mp = h.mpAppId();
    oa = h.oaAppId();
  });
  afterAll(() => h.close());
  beforeEach(() => clearTables(db.ds));

  const at = () => new Date(h.emu.state.clock.nowMs() - 60_000).toISOString();
  const ev = (id: string, type = 'page_view', properties: Record<string, unknown> = { path: '/home' }) => ({
    id,
    type,
    occurredAt: at(),
    properties,
  });
  const track = (json: unknown, init: { bearer?: string; jar?: CookieJar; headers?: Record<string, string> } = {}) =>
    h.request('/track', { method: 'POST', json, ...init });
  const stored = async (): Promise<EventRow[]> =>
    (
      (await db.ds.query(
        'SELECT customer_id, source, account, type, payload, dedupe_key FROM events ORDER BY id',
      )) as EventRow[]
    ).map((r) => ({ ...r, payload: fromJsonText(r.payload) }));

  it('refuses a call without a session (401) and stores nothing', async () => {
    const res = await track({ events: [ev('e1')] });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SESSION_REQUIRED');
    expect(await stored()).toEqual([]);
  });

  it('refuses a forged token, a tampered cookie and an expired token (401)', async () => {
    expect((await track({ events: [ev('e1')] }, { bearer: 'abc.def' })).body.error.code).toBe('SESSION_INVALID');
    const jar = (await h.browserLogin(oa)).jar;
    const cookie = jar.get('siyu_h5')!;
    expect((await track({ events: [ev('e1')] }, { headers: { cookie: `siyu_h5=${cookie}x` } })).status).toBe(401);
    const login = await h.mpLogin(mp);
    await h.advance(86_401);
    const expired = await track({ events: [ev('e1')] }, { bearer: login.body.token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('SESSION_EXPIRED');
    expect(await stored()).toEqual([]);
  });

  it('stores Mini Program events in the timeline and deduplicates by the client event id', async () => {
    const login = await h.mpLogin(mp);
    const token = login.body.token as string;
    const first = await track(
      { events: [ev('e1'), ev('e2', 'add_to_cart', { sku: 'A-1', qty: 2 })] },
      { bearer: token },
    );
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ customerId: login.body.customerId, accepted: 2, duplicates: 0 });
    const rows = await stored();
    expect(rows).toEqual([
      {
        customer_id: login.body.customerId,
        source: 'mini-program',
        account: mp,
        type: 'mp.page_view',
        payload: { eventId: 'e1', properties: { path: '/home' } },
        dedupe_key: expect.stringMatching(/^track:[0-9a-f]{32}:e1$/),
      },
      {
        customer_id: login.body.customerId,
        source: 'mini-program',
        account: mp,
        type: 'mp.add_to_cart',
        payload: { eventId: 'e2', properties: { sku: 'A-1', qty: 2 } },
        dedupe_key: expect.stringMatching(/:e2$/),
      },
    ]);
    const again = await track({ events: [ev('e1'), ev('e2'), ev('e3'), ev('e3')] }, { bearer: token });
    expect(again.body).toEqual({ customerId: login.body.customerId, accepted: 1, duplicates: 3 });
    expect(await stored()).toHaveLength(3);
  });

  it('an event id is per customer: another visitor may use the same one', async () => {
    const a = await h.mpLogin(mp);
    const b = await h.mpLogin(mp);
    expect((await track({ events: [ev('same')] }, { bearer: a.body.token })).body.accepted).toBe(1);
    expect((await track({ events: [ev('same')] }, { bearer: b.body.token })).body.accepted).toBe(1);
    expect(new Set((await stored()).map((r) => r.customer_id)).size).toBe(2);
  });

  it('accepts the H5 session cookie from an allowed origin (CORS with credentials) and answers the preflight', async () => {
    const { jar } = await h.browserLogin(oa);
    const res = await track({ events: [ev('h1', 'article_read', { id: 9 })] }, { jar, headers: { origin: SHOP } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(await stored()).toEqual([
      expect.objectContaining({ source: 'h5', account: oa, type: 'h5.article_read', customer_id: res.body.customerId }),
    ]);

    const preflight = await h.request('/track', {
      method: 'OPTIONS',
      headers: {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Content-Type/i);
    const foreign = await h.request('/track', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('an H5 page can fetch its session token and send it as Bearer', async () => {
    const { jar } = await h.browserLogin(oa);
    const session = await h.request(`/h5/${oa}/session`, { jar, headers: { origin: SHOP } });
    expect(session.status).toBe(200);
    expect(session.body).toEqual({
      customerId: expect.any(String),
      openid: expect.stringMatching(/^o/),
      token: jar.get('siyu_h5'),
    });
    expect(session.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect((await h.request(`/h5/${h.oaAppId(1)}/session`, { jar })).status).toBe(403);
    expect((await h.request(`/h5/${oa}/session`)).status).toBe(401);
    const res = await track({ events: [ev('b1')] }, { bearer: session.body.token });
    expect(res.body).toEqual({ customerId: session.body.customerId, accepted: 1, duplicates: 0 });
  });

  it('events land on the surviving customer after the visitor was merged', async () => {
    const person = 6;
    const base = await h.browserLogin(oa, { personId: person, scope: 'snsapi_base' });
    const mpLogin = await h.mpLogin(mp, { personId: person });
    const before = await track({ events: [ev('m1')] }, { jar: base.jar });
    expect(before.body.customerId).not.toBe(mpLogin.body.customerId);
    await h.browserLogin(oa, { personId: person, scope: 'snsapi_userinfo' });
    const after = await track({ events: [ev('m2')] }, { jar: base.jar });
    expect(after.body.customerId).toBe(mpLogin.body.customerId);
    expect(new Set((await stored()).map((r) => r.customer_id))).toEqual(new Set([mpLogin.body.customerId]));
    expect((await track({ events: [ev('m1')] }, { jar: base.jar })).body).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('validates the batch: over 100 events or a bad shape → 422 with details; oversize body → 413; bad JSON → 400', async () => {
    const token = (await h.mpLogin(mp)).body.token as string;
    const over = await track({ events: Array.from({ length: 101 }, (_, i) => ev(`e${i}`)) }, { bearer: token });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'events', message: 'at most 100 events per call' }],
    });
    const bad = await track(
      { events: [{ id: 'x', type: 'page_view', occurredAt: 'soon', properties: [] }] },
      { bearer: token },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'events.0.occurredAt',
      'events.0.properties',
    ]);
    const huge = await track({ events: [ev('big', 'x', { blob: 'x'.repeat(600 * 1024) })] }, { bearer: token });
    expect(huge.status).toBe(413);
    const broken = await h.request('/track', {
      method: 'POST',
      body: '{"events":[',
      headers: { 'content-type': 'application/json' },
      bearer: token,
    });
    expect(broken.status).toBe(400);
    expect(await stored()).toEqual([]);
  });

  it('a cross-site form post riding the session cookie is refused (JSON only: 415), nothing stored', async () => {
    const { jar } = await h.browserLogin(oa);
    const form = await h.request('/track', {
      method: 'POST',
      jar,
      body: JSON.stringify({ events: [ev('f1')] }),
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
    });
    expect(form.status).toBe(415);
    expect(form.headers.get('access-control-allow-origin')).toBeNull();
    expect(await stored()).toEqual([]);
  });

  it('a visitor whose identity is gone (erased) is refused with 401', async () => {
    const login = await h.mpLogin(mp);
    await db.ds.query('DELETE FROM identities');
    const res = await track({ events: [ev('e1')] }, { bearer: login.body.token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SESSION_INVALID');
  });
});
