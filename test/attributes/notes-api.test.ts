import type { IdentityRef } from '../../connectors/common/identity-types';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { select } from '../../src/storage/sql';

const APP = 'wxnote000000000001';
const oa = (v: string): IdentityRef => ({ type: 'oa_openid', scope: APP, value: v });
const union = (v: string): IdentityRef => ({ type: 'unionid', scope: 'default', value: v });

/** Notes (DESIGN §10.4, §13): written by operators, newest first, audited, moved by merges, gone on erasure. */
describe('customer notes in the API', () => {
  let db: TestDatabase;
  let t: TestApp;
  let admin: string;
  let operator: string;
  let viewer: string;
  const resolve = (identities: IdentityRef[]) =>
    retryingTransaction(db.ds, (em) => t.app.identity.resolve(em, { identities, source: 'notes-test' }));
  const api = (path: string, key: string, method = 'GET', json?: unknown) =>
    t.request(`/api/v1${path}`, { method, key, ...(json !== undefined ? { json } : {}) });

  beforeAll(async () => {
    db = await createTestDatabase();
    const account = { kind: 'official-account', appId: APP, appSecret: 's', token: 't' };
    t = await startTestApp(db.ds, testConfig(db.url, { accounts: [account] }));
    [admin, operator, viewer] = await Promise.all([t.key('admin'), t.key('operator'), t.key('viewer')]);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('refuses viewers, empty and unknown fields, and unknown customers', async () => {
    const c = (await resolve([oa('o-note-0')])).customerId!;
    expect((await api(`/customers/${c}/notes`, viewer, 'POST', { text: 'x' })).status).toBe(403);
    for (const body of [{}, { text: '   ' }, { text: 'x'.repeat(2001) }, { text: 'ok', pinned: true }]) {
      const r = await api(`/customers/${c}/notes`, operator, 'POST', body);
      expect(r.status).toBe(422);
      expect(r.body.error.details.problems[0].field).toBe('text');
    }
    expect(
      (await api('/customers/00000000-0000-7000-8000-000000000000/notes', operator, 'POST', { text: 'x' })).status,
    ).toBe(404);
    expect((await select(db.ds, 'SELECT id FROM customer_notes')).length).toBe(0);
  });

  it('answers 201 { id, text, author, createdAt }, lists newest first with paging, and audits the note', async () => {
    const c = (await resolve([oa('o-note-1')])).customerId!;
    const made = [];
    for (const text of ['第一次到店', '想要户外装备', '周末再联系']) {
      const r = await api(`/customers/${c}/notes`, operator, 'POST', { text });
      expect(r.status).toBe(201);
      made.push(r.body);
    }
    expect(made[2]).toEqual({
      id: expect.any(String),
      text: '周末再联系',
      author: 'operator-key',
      authorKind: 'operator',
      createdAt: expect.any(String),
    });
    const first = await api(`/customers/${c}/notes?limit=2`, viewer);
    expect(first.body.items.map((n: { text: string }) => n.text)).toEqual(['周末再联系', '想要户外装备']);
    const rest = await api(`/customers/${c}/notes?limit=2&cursor=${first.body.nextCursor}`, viewer);
    expect(rest.body).toEqual({ items: [made[0]], nextCursor: null });
    expect((await api(`/customers/${c}`, viewer)).body.notes.map((n: { text: string }) => n.text)).toEqual([
      '周末再联系',
      '想要户外装备',
      '第一次到店',
    ]);
    const audit = await select(
      db.ds,
      "SELECT actor FROM audit_log WHERE action = 'customer.note.add' AND target_id = ?",
      [c],
    );
    expect(audit).toHaveLength(3);
  });

  it('moves notes with a merge and removes them when the person is erased', async () => {
    const a = (await resolve([oa('o-note-m')])).customerId!;
    const b = (await resolve([union('u-note-m')])).customerId!;
    await api(`/customers/${a}/notes`, operator, 'POST', { text: '甲' });
    await api(`/customers/${b}/notes`, operator, 'POST', { text: '乙' });
    const survivor = (await resolve([oa('o-note-m'), union('u-note-m')])).customerId!;
    expect((await api(`/customers/${survivor}/notes`, viewer)).body.items).toHaveLength(2);
    expect((await api(`/customers/${survivor}`, admin, 'DELETE')).status).toBe(200);
    expect((await select(db.ds, 'SELECT id FROM customer_notes WHERE customer_id IN (?, ?)', [a, b])).length).toBe(0);
  });
});
