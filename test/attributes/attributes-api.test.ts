import type { IdentityRef } from '../../connectors/common/identity-types';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { select } from '../../src/storage/sql';

const APP = 'wxattr000000000001';
const oa = (v: string): IdentityRef => ({ type: 'oa_openid', scope: APP, value: v });
const union = (v: string): IdentityRef => ({ type: 'unionid', scope: 'default', value: v });

/** Custom fields (DESIGN §10.4, §13): definitions, validated values, audit, pii at rest, merges and their undo. */
describe('custom fields in the API', () => {
  let db: TestDatabase;
  let t: TestApp;
  let admin: string;
  let operator: string;
  let viewer: string;
  const resolve = (identities: IdentityRef[]) =>
    retryingTransaction(db.ds, (em) => t.app.identity.resolve(em, { identities, source: 'attributes-test' }));
  const api = (path: string, key: string, method = 'GET', json?: unknown) =>
    t.request(`/api/v1${path}`, { method, key, ...(json !== undefined ? { json } : {}) });
  const rowsOf = (customerId: string) =>
    select<Record<string, unknown>>(
      db.ds,
      'SELECT * FROM customer_attributes WHERE customer_id = ? ORDER BY attr_key',
      [customerId],
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    const account = { kind: 'official-account', appId: APP, appSecret: 's', token: 't' };
    t = await startTestApp(db.ds, testConfig(db.url, { accounts: [account] }));
    [admin, operator, viewer] = await Promise.all([t.key('admin'), t.key('operator'), t.key('viewer')]);
    const defs = [
      {
        key: 'children',
        label: { 'zh-CN': '孩子数量', en: 'Children' },
        type: 'number',
        editableBy: ['operator', 'staff'],
      },
      {
        key: 'interests',
        label: { 'zh-CN': '兴趣', en: 'Interests' },
        type: 'multiEnum',
        options: ['户外', '阅读', '烘焙'],
        editableBy: ['operator', 'staff'],
      },
      { key: 'birthday', label: { 'zh-CN': '生日', en: 'Birthday' }, type: 'date' },
      { key: 'vip', label: { 'zh-CN': '贵宾', en: 'VIP' }, type: 'bool' },
      { key: 'level', label: { 'zh-CN': '等级', en: 'Level' }, type: 'enum', options: ['金', '银'] },
      { key: 'idcard', label: { 'zh-CN': '身份证号', en: 'ID card' }, type: 'text', pii: true },
      { key: 'budget', label: { 'zh-CN': '预算', en: 'Budget' }, type: 'number', editableBy: [] },
    ];
    for (const d of defs) expect((await api('/attributes', operator, 'POST', d)).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('defines fields: 201 with the definition, 409 for a taken key, 422 naming bad fields, viewers only read', async () => {
    const list = await api('/attributes', viewer);
    expect(list.status).toBe(200);
    expect(list.body.items.map((d: { key: string }) => d.key)).toEqual([
      'children',
      'interests',
      'birthday',
      'vip',
      'level',
      'idcard',
      'budget',
    ]);
    expect(list.body.items[1]).toMatchObject({
      key: 'interests',
      label: { 'zh-CN': '兴趣', en: 'Interests' },
      type: 'multiEnum',
      options: ['户外', '阅读', '烘焙'],
      pii: false,
      editableBy: ['operator', 'staff'],
    });
    const dup = await api('/attributes', operator, 'POST', {
      key: 'vip',
      label: { 'zh-CN': 'x', en: 'x' },
      type: 'bool',
    });
    expect(dup.status).toBe(409);
    const bad = await api('/attributes', operator, 'POST', { key: 'has space', label: { 'zh-CN': '' }, type: 'enum' });
    expect(bad.status).toBe(422);
    const fields = bad.body.error.details.problems.map((p: { field: string }) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['key', 'label.zh-CN', 'label.en', 'options']));
    expect(
      (await api('/attributes', viewer, 'POST', { key: 'x', label: { 'zh-CN': 'x', en: 'x' }, type: 'bool' })).status,
    ).toBe(403);
    const renamed = await api('/attributes/level', operator, 'PATCH', {
      label: { en: 'Tier' },
      options: ['金', '银', '铜'],
    });
    expect(renamed.body).toMatchObject({ label: { 'zh-CN': '等级', en: 'Tier' }, options: ['金', '银', '铜'] });
    expect((await api('/attributes/nope', operator, 'PATCH', { pii: true })).status).toBe(404);
  });

  it('sets values validated whole: 422 naming each bad field and nothing written; 403 for a field the role may not edit', async () => {
    const c = (await resolve([oa('o-attr-1')])).customerId!;
    const bad = await api(`/customers/${c}/attributes`, operator, 'PATCH', {
      children: 'two',
      interests: ['户外', '滑雪'],
      birthday: '2024-02-30',
      vip: true,
      nope: 1,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.problems.map((p: { field: string }) => p.field).sort()).toEqual(
      ['birthday', 'children', 'interests', 'nope'].sort(),
    );
    expect(await rowsOf(c)).toEqual([]);
    const locked = await api(`/customers/${c}/attributes`, operator, 'PATCH', { budget: 100, vip: true });
    expect(locked.status).toBe(403);
    expect(locked.body.error.details).toEqual({ fields: ['budget'] });
    expect(await rowsOf(c)).toEqual([]);
    expect((await api(`/customers/${c}/attributes`, viewer, 'PATCH', { vip: true })).status).toBe(403);

    const ok = await api(`/customers/${c}/attributes`, operator, 'PATCH', {
      children: 2,
      interests: ['烘焙', '户外', '户外'],
      birthday: '1990-05-01',
      vip: true,
      level: '金',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      children: 2,
      interests: ['户外', '烘焙'],
      birthday: '1990-05-01',
      vip: true,
      level: '金',
    });
    expect((await api(`/customers/${c}/attributes`, admin, 'PATCH', { budget: 5000.5 })).body.budget).toBe(5000.5);

    const profile = (await api(`/customers/${c}`, viewer)).body;
    expect(profile.attributes).toMatchObject({ children: 2, interests: ['户外', '烘焙'], vip: true });
    expect(profile.attributeSources.children).toMatchObject({ source: 'manual', by: 'operator-key' });
  });

  it('audits every change with who and the old value, and clears a field with null', async () => {
    const c = (await resolve([oa('o-attr-2')])).customerId!;
    await api(`/customers/${c}/attributes`, operator, 'PATCH', { children: 1, level: '银' });
    await api(`/customers/${c}/attributes?source=api`, operator, 'PATCH', { children: 3, level: null });
    const after = await api(`/customers/${c}/attributes`, viewer);
    expect(after.body).toEqual({ children: 3 });
    const audit = await select<{ actor: string; action: string; details: string }>(
      db.ds,
      "SELECT actor, action, details FROM audit_log WHERE target_id = ? AND action LIKE 'customer.attribute.%' ORDER BY id",
      [c],
    );
    const entries = audit.map((a) => ({ ...a, details: JSON.parse(a.details) as Record<string, unknown> }));
    expect(entries).toEqual([
      {
        actor: 'operator-key',
        action: 'customer.attribute.set',
        details: expect.objectContaining({ key: 'children', old: null, new: 1, source: 'manual' }),
      },
      {
        actor: 'operator-key',
        action: 'customer.attribute.set',
        details: expect.objectContaining({ key: 'level', old: null, new: '银' }),
      },
      {
        actor: 'operator-key',
        action: 'customer.attribute.set',
        details: expect.objectContaining({ key: 'children', old: 1, new: 3, source: 'api', oldSource: 'manual' }),
      },
      {
        actor: 'operator-key',
        action: 'customer.attribute.clear',
        details: expect.objectContaining({ key: 'level', old: '银', new: null }),
      },
    ]);
  });

  it('keeps a pii value sealed at rest and masks it for viewers only', async () => {
    const c = (await resolve([oa('o-attr-3')])).customerId!;
    const set = await api(`/customers/${c}/attributes`, operator, 'PATCH', { idcard: '110101199003071234' });
    expect(set.body.idcard).toBe('110101199003071234');
    const [row] = await select<Record<string, unknown>>(
      db.ds,
      'SELECT * FROM customer_attributes WHERE customer_id = ?',
      [c],
    );
    expect(row!.value_text).toBeNull();
    expect(String(row!.value_enc)).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('110101199003071234');
    expect((await api(`/customers/${c}`, viewer)).body.attributes.idcard).toBe('1****************4');
    expect((await api(`/customers/${c}/attributes`, viewer)).body.idcard).toBe('1****************4');
    expect((await api(`/customers/${c}`, operator)).body.attributes.idcard).toBe('110101199003071234');
    const audit = await select<{ details: string }>(
      db.ds,
      "SELECT details FROM audit_log WHERE target_id = ? AND action = 'customer.attribute.set'",
      [c],
    );
    expect(audit[0]!.details).not.toContain('110101199003071234');
    expect((await api('/attributes/idcard', operator, 'PATCH', { pii: false })).status).toBe(409);
  });

  it('merges combine values (the survivor wins) and an undo gives the loser its value back', async () => {
    const a = (await resolve([oa('o-attr-m')])).customerId!;
    const b = (await resolve([union('u-attr-m')])).customerId!;
    await api(`/customers/${a}/attributes`, operator, 'PATCH', { children: 1, vip: true });
    await api(`/customers/${b}/attributes`, operator, 'PATCH', { children: 4, level: '金' });
    const merged = await resolve([oa('o-attr-m'), union('u-attr-m')]);
    const survivor = merged.customerId!;
    expect(survivor).toBe(b);
    expect((await api(`/customers/${a}`, operator)).body.attributes).toEqual({ children: 4, level: '金', vip: true });
    const [log] = await select<{ id: unknown; evidence: string }>(
      db.ds,
      'SELECT id, evidence FROM merge_log WHERE merged_id = ?',
      [a],
    );
    expect(JSON.parse(log!.evidence).attributesKept).toEqual([{ id: expect.any(String), key: 'children' }]);

    const undo = await api(`/merges/${String(log!.id)}/undo`, admin, 'POST');
    expect(undo.status).toBe(200);
    expect((await api(`/customers/${a}/attributes`, operator)).body).toEqual({ children: 1, vip: true });
    expect((await api(`/customers/${b}/attributes`, operator)).body).toEqual({ children: 4, level: '金' });
  });

  it('an undo restores the loser from the merge log copy, even after the survivor changed the values that moved', async () => {
    const a = (await resolve([oa('o-attr-copy')])).customerId!;
    const b = (await resolve([union('u-attr-copy')])).customerId!;
    await api(`/customers/${a}/attributes`, operator, 'PATCH', {
      children: 2,
      vip: true,
      interests: ['户外', '阅读'],
      idcard: '110101199003071234',
    });
    await api(`/customers/${b}/attributes`, operator, 'PATCH', { children: 5 });
    const values = (rows: Record<string, unknown>[]) => rows.map(({ id: _id, ...rest }) => rest);
    const before = values(await rowsOf(a));
    expect(before).toHaveLength(4);
    expect((await resolve([oa('o-attr-copy'), union('u-attr-copy')])).customerId).toBe(b);
    const [log] = await select<{ id: unknown; evidence: string }>(
      db.ds,
      'SELECT id, evidence FROM merge_log WHERE merged_id = ?',
      [a],
    );
    // The copy holds the pii value as stored: encrypted.
    expect(log!.evidence).not.toContain('110101199003071234');
    expect(JSON.parse(log!.evidence).attributeValues).toHaveLength(4);
    // After the merge, the survivor's values change: one that moved, one that moved and is cleared.
    const changed = await api(`/customers/${b}/attributes`, operator, 'PATCH', { vip: false, interests: null });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ children: 5, vip: false });
    expect(changed.body.interests).toBeUndefined();

    expect((await api(`/merges/${String(log!.id)}/undo`, admin, 'POST')).status).toBe(200);
    expect(values(await rowsOf(a))).toEqual(before);
    expect((await api(`/customers/${a}/attributes`, admin)).body).toEqual({
      children: 2,
      vip: true,
      interests: ['户外', '阅读'],
      idcard: '110101199003071234',
    });
    // The survivor keeps its own value and the change made since; the unchanged pii value went back with the loser.
    expect((await api(`/customers/${b}/attributes`, admin)).body).toEqual({ children: 5, vip: false });
  });

  it('deletes a definition with values only with ?force=true, removing them, audited', async () => {
    const c = (await resolve([oa('o-attr-4')])).customerId!;
    await api(`/customers/${c}/attributes`, operator, 'PATCH', { vip: false });
    const refused = await api('/attributes/vip', operator, 'DELETE');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('HAS_VALUES');
    const forced = await api('/attributes/vip?force=true', operator, 'DELETE');
    expect(forced.status).toBe(200);
    expect(forced.body.valuesRemoved).toBeGreaterThanOrEqual(1);
    expect((await select(db.ds, "SELECT id FROM customer_attributes WHERE attr_key = 'vip'")).length).toBe(0);
    expect((await api('/attributes/vip', operator)).status).toBe(404);
    const [entry] = await select<{ details: string }>(
      db.ds,
      "SELECT details FROM audit_log WHERE action = 'attribute.delete'",
    );
    expect(JSON.parse(entry!.details)).toMatchObject({ force: true });
  });
});
