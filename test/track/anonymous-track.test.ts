import { ApiKeyService } from '../../src/auth/api-key.service';
import { applyRetention } from '../../src/jobs/retention.job';
import { select } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { clearTables } from '../helpers/test-db';
import { startFrontDoors, type FrontDoorHarness } from '../integration/h5-harness';

/**
 * Anonymous visitors (DESIGN §11): `/track` without a login, under rate limits; the visitor is a customer known by
 * an anonymous id alone and hidden from lists; an H5 or Mini Program login carrying the id makes that customer the
 * person (their page views move with a §4 merge); visitors never identified are purged after `anonymousDays`.
 */
describe('anonymous visitors', () => {
  const db = useTestDatabase();
  let h: FrontDoorHarness;
  let key: string;

  beforeAll(async () => {
    h = await startFrontDoors(db);
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await clearTables(db.ds);
    key = (await new ApiKeyService(db.ds).create('anon-test', 'operator')).key;
  });

  const at = () => new Date(h.emu.state.clock.nowMs() - 60_000).toISOString();
  const ev = (id: string) => ({ id, type: 'page_view', occurredAt: at(), properties: { path: '/sale' } });
  const track = (json: unknown) => h.request('/track', { method: 'POST', json });
  const customers = async (anonymous?: string) =>
    (
      await h.request(`/api/v1/customers${anonymous ? `?anonymous=${anonymous}` : ''}`, {
        headers: { authorization: `Bearer ${key}` },
      })
    ).body.items.map((c: { id: string }) => c.id) as string[];
  const identitiesOf = async (customerId: string) =>
    (
      await select<{ type: string; scope: string }>(
        db.ds,
        'SELECT type, scope FROM identities WHERE customer_id = ? ORDER BY type, scope',
        [customerId],
      )
    ).map((r) => `${r.type}:${r.scope}`);
  const eventsOf = async (customerId: string) =>
    (
      await select<{ type: string }>(db.ds, 'SELECT type FROM events WHERE customer_id = ? ORDER BY id', [customerId])
    ).map((r) => r.type);

  it('takes events without a login, as a customer known only by the anonymous id and left out of lists', async () => {
    const first = await track({ anonymousId: 'anon-visitor-0001', events: [ev('p1'), ev('p2')] });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ customerId: expect.any(String), accepted: 2, duplicates: 0 });
    const again = await track({ anonymousId: 'anon-visitor-0001', events: [ev('p2'), ev('p3')] });
    expect(again.body).toEqual({ customerId: first.body.customerId, accepted: 1, duplicates: 1 });
    expect(await identitiesOf(first.body.customerId)).toEqual(['anonymous_id:web']);
    expect(await eventsOf(first.body.customerId)).toEqual(['h5.page_view', 'h5.page_view', 'h5.page_view']);
    // A Mini Program's visitor, named by its appid: Mini Program behaviour under that scope.
    const mp = await track({ anonymousId: 'anon-mp-000001', appId: h.mpAppId(), events: [ev('m1')] });
    expect(await identitiesOf(mp.body.customerId)).toEqual([`anonymous_id:${h.mpAppId()}`]);
    expect(await eventsOf(mp.body.customerId)).toEqual(['mp.page_view']);

    const known = (await h.mpLogin(h.mpAppId(), { personId: 3 })).body.customerId as string;
    expect(await customers()).toEqual([known]);
    expect((await customers('only')).sort()).toEqual([first.body.customerId, mp.body.customerId].sort());
    expect(await customers('include')).toHaveLength(3);
  });

  it('refuses malformed anonymous calls, and a call with neither a login nor an id', async () => {
    const cases: [unknown, number, string][] = [
      [{ events: [ev('x')] }, 401, 'SESSION_REQUIRED'],
      [{ anonymousId: 'short', events: [ev('x')] }, 422, 'VALIDATION_FAILED'],
      [{ anonymousId: 'has spaces in it', events: [ev('x')] }, 422, 'VALIDATION_FAILED'],
      [{ anonymousId: 'x'.repeat(65), events: [ev('x')] }, 422, 'VALIDATION_FAILED'],
      [{ anonymousId: 'anon-visitor-0002', appId: 'wx_not_ours', events: [ev('x')] }, 422, 'VALIDATION_FAILED'],
      [{ anonymousId: 'anon-visitor-0002', events: [] }, 422, 'VALIDATION_FAILED'],
      [{ anonymousId: 'anon-visitor-0002', events: [ev('x')], extra: 1 }, 422, 'VALIDATION_FAILED'],
      [[ev('x')], 422, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const r = await track(body);
      expect([r.status, r.body.error?.code]).toEqual([status, code]);
    }
    expect(await select(db.ds, 'SELECT id FROM customers')).toEqual([]);
  });

  it('limits calls per anonymous id and answers 429 with Retry-After', async () => {
    let last = { status: 200, headers: new Headers() };
    let calls = 0;
    while (last.status === 200 && calls < 500) {
      last = await track({ anonymousId: 'anon-chatty-0001', events: [ev(`c${calls}`)] });
      calls++;
    }
    expect(last.status).toBe(429);
    expect(calls).toBe(121);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another visitor behind the same address is still served.
    expect((await track({ anonymousId: 'anon-quiet-00001', events: [ev('q1')] })).status).toBe(200);
  });

  it('makes the visitor the person who signs in on a Mini Program: their page views move with a merge', async () => {
    const known = (await h.mpLogin(h.mpAppId(), { personId: 5 })).body.customerId as string;
    const anon = (await track({ anonymousId: 'anon-before-mp01', appId: h.mpAppId(), events: [ev('a1')] })).body;
    const login = await h.mpLogin(h.mpAppId(), { personId: 5 }, 'anon-before-mp01');
    expect(login.status).toBe(200);
    expect(login.body.customerId).toBe(known);
    expect(await eventsOf(known)).toEqual(['mp.page_view']);
    expect(await identitiesOf(known)).toContain(`anonymous_id:${h.mpAppId()}`);
    const [merge] = await select<{ survivor_id: string; merged_id: string }>(
      db.ds,
      'SELECT survivor_id, merged_id FROM merge_log WHERE merged_id = ?',
      [anon.customerId],
    );
    expect(merge).toEqual({ survivor_id: known, merged_id: anon.customerId });
    const bad = await h.mpLogin(h.mpAppId(), { personId: 5 }, 'bad id!');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_ANONYMOUS_ID']);
  });

  it('makes a new H5 visitor the anonymous customer they were, keeping their events', async () => {
    const anon = (await track({ anonymousId: 'anon-before-h5-01', events: [ev('h1'), ev('h2')] })).body;
    const login = await h.browserLogin(h.oaAppId(), { personId: 8, anonymousId: 'anon-before-h5-01' });
    expect(login.callback.status).toBe(302);
    const session = await h.request(`/h5/${h.oaAppId()}/session`, { jar: login.jar });
    expect(session.body.customerId).toBe(anon.customerId);
    expect(await identitiesOf(anon.customerId)).toEqual(
      expect.arrayContaining(['anonymous_id:web', `h5_openid:${h.oaAppId()}`]),
    );
    expect(await customers()).toContain(anon.customerId);
  });

  it('purges visitors never identified once quiet for anonymousDays, and no one else', async () => {
    const quiet = (await track({ anonymousId: 'anon-quiet-old01', events: [ev('o1')] })).body.customerId as string;
    const later = (await track({ anonymousId: 'anon-came-back1', events: [ev('o2')] })).body.customerId as string;
    const signedIn = (await track({ anonymousId: 'anon-signed-in1', events: [ev('o3')] })).body.customerId as string;
    await h.browserLogin(h.oaAppId(), { personId: 9, anonymousId: 'anon-signed-in1' });
    await h.advance(91 * 86_400);
    await track({ anonymousId: 'anon-came-back1', events: [ev('o4')] });
    const now = new Date(h.emu.state.clock.nowMs());
    const result = await applyRetention(db.ds, { inboxDays: null, eventsDays: null, anonymousDays: 90 }, now);
    expect(result.anonymousVisitors).toBe(1);
    const left = (await select<{ id: string }>(db.ds, 'SELECT id FROM customers')).map((r) => r.id);
    expect(left).not.toContain(quiet);
    expect(left).toEqual(expect.arrayContaining([later, signedIn]));
    expect(await select(db.ds, 'SELECT id FROM events WHERE customer_id = ?', [quiet])).toEqual([]);
    expect(await select(db.ds, "SELECT id FROM identities WHERE value = 'anon-quiet-old01'")).toEqual([]);
  });
});
