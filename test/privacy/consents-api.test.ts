import { retryingTransaction } from '../../src/storage/conflict-retry';
import { uuidv7 } from '../../src/storage/ids';
import { insertIgnore, select } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

/**
 * Consents (DESIGN §12, §13): recorded by operators and brand systems, listed on the customer, a
 * `consent.changed` timeline event per change of answer; a withdrawn marketing consent takes the person's
 * rule and channel tags away and keeps segment runs from tagging them again.
 */
describe('consents in the API', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let admin: string;
  let operator: string;
  let viewer: string;
  let clock = Date.parse('2026-11-01T02:00:00.000Z');
  const api = (path: string, key: string, method = 'GET', json?: unknown) =>
    t.request(`/api/v1${path}`, { method, key, ...(json !== undefined ? { json } : {}) });
  /** Customer ids by the names the tests use. */
  const id = { ok: uuidv7(), bad: uuidv7(), mkt: uuidv7(), keep: uuidv7() };
  const customers = async (ids: string[]) => {
    await insertIgnore(
      db.ds,
      'customers',
      ids.map((id) => ({ id, status: 'active', display_name: id })),
    );
    await insertIgnore(
      db.ds,
      'identities',
      ids.map((id) => ({ customer_id: id, type: 'oa_openid', scope: 'wxoa', value: `o-${id}` })),
    );
  };
  const changes = (id: string) =>
    select<{ payload: string }>(
      db.ds,
      "SELECT payload FROM events WHERE customer_id = ? AND type = 'consent.changed' ORDER BY occurred_at, id",
      [id],
    ).then((rows) => rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>));

  beforeAll(async () => {
    t = await startTestApp(db.ds, testConfig(db.url));
    t.app.now = () => clock;
    [admin, operator, viewer] = await Promise.all([t.key('admin'), t.key('operator'), t.key('viewer')]);
    await customers(Object.values(id));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses viewers, unknown customers and every malformed consent, writing nothing', async () => {
    const good = { purpose: 'marketing', granted: true, source: 'crm' };
    expect((await api(`/customers/${id.bad}/consents`, viewer, 'POST', good)).status).toBe(403);
    expect((await api('/customers/00000000-0000-7000-8000-000000000000/consents', operator, 'POST', good)).status).toBe(
      404,
    );
    const bad: [unknown, string][] = [
      [{ granted: true, source: 'crm' }, 'purpose'],
      [{ ...good, purpose: '  ' }, 'purpose'],
      [{ ...good, purpose: 'x'.repeat(129) }, 'purpose'],
      [{ ...good, purpose: 'a\u0000b' }, 'purpose'],
      [{ ...good, granted: 'yes' }, 'granted'],
      [{ ...good, source: undefined }, 'source'],
      [{ ...good, channel: 'sms' }, 'channel'],
      [{ ...good, at: 'yesterday' }, 'at'],
      [{ ...good, at: '2099-01-01T00:00:00Z' }, 'at'],
      [{ ...good, pinned: true }, 'pinned'],
      [[good], 'body'],
    ];
    for (const [body, field] of bad) {
      const r = await api(`/customers/${id.bad}/consents`, operator, 'POST', body);
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.details.problems.map((p: { field: string }) => p.field)).toContain(field);
    }
    expect(await select(db.ds, 'SELECT id FROM consents WHERE customer_id = ?', [id.bad])).toEqual([]);
  });

  it('records a consent, shows it on the customer, and writes one timeline event per change of answer', async () => {
    const r = await api(`/customers/${id.ok}/consents`, operator, 'POST', {
      purpose: 'marketing',
      channel: 'wecom',
      granted: true,
      source: 'crm',
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      purpose: 'marketing',
      channel: 'wecom',
      granted: true,
      source: 'crm',
      at: new Date(clock).toISOString(),
    });
    clock += 60_000;
    // The same answer again changes nothing; a different one is a change.
    await api(`/customers/${id.ok}/consents`, operator, 'POST', {
      purpose: 'marketing',
      channel: 'wecom',
      granted: true,
      source: 'crm',
    });
    clock += 60_000;
    await api(`/customers/${id.ok}/consents`, operator, 'POST', {
      purpose: 'survey',
      granted: false,
      source: 'h5-form',
    });
    // An older statement than the stored one does not override it.
    const stale = await api(`/customers/${id.ok}/consents`, operator, 'POST', {
      purpose: 'survey',
      granted: true,
      source: 'import',
      at: '2026-10-01T00:00:00.000Z',
    });
    expect(stale.body).toMatchObject({ purpose: 'survey', granted: false, source: 'h5-form' });

    const listed = (await api(`/customers/${id.ok}/consents`, viewer)).body.items;
    expect(listed.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted])).toEqual([
      ['marketing', true],
      ['survey', false],
    ]);
    expect((await api(`/customers/${id.ok}`, viewer)).body.consents).toEqual(listed);
    expect(await changes(id.ok)).toEqual([
      { purpose: 'marketing', channel: 'wecom', granted: true, source: 'crm', previous: null },
      { purpose: 'survey', channel: null, granted: false, source: 'h5-form', previous: null },
    ]);
    const audit = await select(db.ds, "SELECT id FROM audit_log WHERE action = 'customer.consent' AND target_id = ?", [
      id.ok,
    ]);
    expect(audit).toHaveLength(4);
    // The person's data bundle lists them too.
    const bundle = await api(`/customers/${id.ok}/export`, admin);
    expect(bundle.body.consents).toEqual(listed);
  });

  it('takes rule and channel tags away on a withdrawn marketing consent, keeps hand-given ones, and runs skip the person', async () => {
    const tag = (await api('/tags', operator, 'POST', { name: '活跃粉丝' })).body.id as string;
    const manual = (await api('/tags', operator, 'POST', { name: '老客户' })).body.id as string;
    const seg = await api('/segments', operator, 'POST', {
      name: 'OA followers',
      tagId: tag,
      rule: { type: 'channel', channel: 'oa' },
    });
    const run = async () => (await api(`/segments/${seg.body.id}/run`, operator, 'POST')).body.result;
    expect(await run()).toMatchObject({ members: 4 });
    await api(`/customers/${id.mkt}/tags`, operator, 'POST', { tagIds: [manual] });
    const tagsOf = async (id: string) =>
      (await api(`/customers/${id}`, viewer)).body.tags.map(
        (x: { name: string; source: string }) => `${x.name}/${x.source}`,
      );
    expect(await tagsOf(id.mkt)).toEqual(['活跃粉丝/rule', '老客户/manual']);

    clock += 60_000;
    await api(`/customers/${id.mkt}/consents`, operator, 'POST', {
      purpose: 'marketing',
      granted: false,
      source: 'sidebar',
    });
    expect(await tagsOf(id.mkt)).toEqual(['老客户/manual']);
    expect(await tagsOf(id.keep)).toEqual(['活跃粉丝/rule']);
    expect(await run()).toMatchObject({ added: 0, members: 3 });
    expect(await tagsOf(id.mkt)).toEqual(['老客户/manual']);

    // Granted again: the next run tags the person as before.
    clock += 60_000;
    await api(`/customers/${id.mkt}/consents`, operator, 'POST', {
      purpose: 'marketing',
      granted: true,
      source: 'sidebar',
    });
    expect(await run()).toMatchObject({ added: 1, members: 4 });
    expect((await changes(id.mkt)).map((c) => [c.granted, c.previous])).toEqual([
      [false, null],
      [true, false],
    ]);
  });

  it('moves the consents a survivor has no answer for with a merge, and takes them back on undo', async () => {
    const resolve = (identities: { type: 'oa_openid' | 'unionid'; scope: string; value: string }[]) =>
      retryingTransaction(db.ds, (em) => t.app.identity.resolve(em, { identities, source: 'consents-test' }));
    const oa = { type: 'oa_openid' as const, scope: 'wxoa', value: 'o-consent-merge' };
    const union = { type: 'unionid' as const, scope: 'default', value: 'u-consent-merge' };
    const a = (await resolve([oa])).customerId!;
    const b = (await resolve([union])).customerId!;
    const say = (c: string, purpose: string, granted: boolean) =>
      api(`/customers/${c}/consents`, operator, 'POST', { purpose, granted, source: 'crm' });
    await say(a, 'marketing', true);
    await say(b, 'marketing', false);
    await say(b, 'survey', true);
    const survivor = (await resolve([oa, union])).customerId!;
    const other = survivor === a ? b : a;
    const purposes = async (c: string) =>
      (
        await select<{ purpose: string }>(
          db.ds,
          'SELECT purpose FROM consents WHERE customer_id = ? ORDER BY purpose',
          [c],
        )
      ).map((r) => r.purpose);
    // Where both answered, the survivor's answer stands and the other stays with the merged record.
    expect(await purposes(survivor)).toEqual(['marketing', 'survey']);
    expect(await purposes(other)).toEqual(['marketing']);
    const [merge] = await select<{ id: unknown }>(db.ds, 'SELECT id FROM merge_log WHERE survivor_id = ?', [survivor]);
    expect((await api(`/merges/${String(merge!.id)}/undo`, operator, 'POST')).status).toBe(200);
    expect(await purposes(a)).toEqual(['marketing']);
    expect(await purposes(b)).toEqual(['marketing', 'survey']);
  });

  it('erasure removes the person’s consents', async () => {
    expect((await api(`/customers/${id.ok}`, admin, 'DELETE')).status).toBe(200);
    expect(await select(db.ds, 'SELECT id FROM consents WHERE customer_id = ?', [id.ok])).toEqual([]);
  });
});
