import type { IdentityRef } from '../../connectors/common/identity-types';
import { useTestDatabase } from '../helpers/describe-db';
import { IdentityService, type Observation } from '../../src/identity/identity.service';
import { retryingTransaction } from '../../src/storage/conflict-retry';
import { survivorOf } from '../../src/storage/customers/customer.repository';
import { undoMerge } from '../../src/identity/merge.service';
import { IdentityError } from '../../src/identity/identity-errors';
import { PhoneCrypto } from '../../src/security/phone-crypto';
import { IdentityHasher } from '../../src/security/identity-hash';
import { execute, select } from '../../src/storage/sql';

const KEY = Buffer.alloc(32, 3);
const oa = (v: string): IdentityRef => ({ type: 'oa_openid', scope: 'wxoa', value: v });
const mp = (v: string): IdentityRef => ({ type: 'mp_openid', scope: 'wxmp', value: v });
const union = (v: string): IdentityRef => ({ type: 'unionid', scope: 'default', value: v });
const ext = (v: string): IdentityRef => ({ type: 'wecom_external_userid', scope: 'ww1', value: v });
const phone = (v: string): IdentityRef => ({ type: 'phone', scope: 'default', value: v });

describe('IdentityService (DESIGN §4)', () => {
  const db = useTestDatabase();
  let clock = Date.parse('2025-01-01T00:00:00Z');
  const make = (mergeByPhone = true) =>
    new IdentityService({
      phoneCrypto: new PhoneCrypto(KEY),
      hasher: new IdentityHasher(KEY),
      mergeByPhone,
      now: () => (clock += 1000),
    });
  const svc = make();
  const resolve = (obs: Partial<Observation> & { identities: IdentityRef[] }, s = svc) =>
    retryingTransaction(db.ds, (em) => s.resolve(em, { source: 'test', ...obs }));
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await select<{ n: unknown }>(db.ds, sql, params))[0]!.n);
  const ownerOf = (ref: IdentityRef) => svc.findCustomerId(db.ds, ref);

  it('refuses a second unionid for an openid that already has one, and records the conflict once', async () => {
    const a = await resolve({ identities: [oa('c-o1'), union('c-u1')] });
    const again = await resolve({ identities: [oa('c-o1'), union('c-u2')] });
    expect(again).toMatchObject({ customerId: a.customerId, attached: [], merges: [], conflicts: 1 });
    expect(await ownerOf(union('c-u2'))).toBeUndefined();
    const third = await resolve({ identities: [oa('c-o1'), union('c-u2')] });
    expect(third.conflicts).toBe(0);
    const rows = await select<Record<string, unknown>>(
      db.ds,
      'SELECT * FROM identity_conflicts WHERE refused_value = ?',
      ['c-u2'],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'unionid', existing_value: 'c-u1', customer_id: a.customerId });
  });

  it('treats an OA follower openid and the same web-OAuth openid of that appid as one person, either way round', async () => {
    const h5 = (v: string): IdentityRef => ({ type: 'h5_openid', scope: 'wxoa', value: v });
    const viaH5 = await resolve({ identities: [h5('s-o1'), union('s-u1')] });
    const follower = await resolve({ identities: [oa('s-o1')] });
    expect(follower.customerId).toBe(viaH5.customerId);
    expect(follower.attached).toEqual([oa('s-o1')]);
    const viaOa = await resolve({ identities: [oa('s-o2')] });
    const login = await resolve({ identities: [h5('s-o2')] });
    expect(login.customerId).toBe(viaOa.customerId);
    const other = await resolve({ identities: [oa('s-o3')] });
    expect(other.customerId).not.toBe(viaOa.customerId);
    expect(await count("SELECT COUNT(*) AS n FROM identities WHERE type = 'h5_openid' AND value = 's-o3'")).toBe(0);
  });

  it('creates one customer for new identities and attaches a new one to it', async () => {
    const first = await resolve({ identities: [oa('a-o1')] });
    expect(first.created).toBe(true);
    const second = await resolve({ identities: [oa('a-o1'), union('a-u1')] });
    expect(second).toMatchObject({ customerId: first.customerId, created: false, attached: [union('a-u1')] });
    expect(await ownerOf(union('a-u1'))).toBe(first.customerId);
    expect(await count('SELECT COUNT(*) AS n FROM identity_links WHERE customer_id = ?', [first.customerId])).toBe(2);
  });

  it('changes nothing when the same evidence is seen twice', async () => {
    const r1 = await resolve({ identities: [oa('i-o1'), union('i-u1'), mp('i-m1')] });
    const before =
      (await count('SELECT COUNT(*) AS n FROM identities')) +
      (await count('SELECT COUNT(*) AS n FROM identity_links')) * 1000;
    const r2 = await resolve({ identities: [oa('i-o1'), union('i-u1'), mp('i-m1')] });
    expect(r2).toMatchObject({ customerId: r1.customerId, created: false, attached: [], merges: [], conflicts: 0 });
    expect(
      (await count('SELECT COUNT(*) AS n FROM identities')) +
        (await count('SELECT COUNT(*) AS n FROM identity_links')) * 1000,
    ).toBe(before);
  });

  it('merges into the customer with the higher-priority identity and moves its rows; reads of the merged id follow', async () => {
    const older = await resolve({ identities: [oa('m-o1')] });
    const younger = await resolve({ identities: [ext('m-wm1')] });
    const c1 = older.customerId!;
    const c2 = younger.customerId!;
    await execute(
      db.ds,
      "INSERT INTO customer_tags (customer_id, tag_id, source) VALUES (?, 7, 'manual'), (?, 8, 'manual'), (?, 7, 'manual')",
      [c1, c1, c2],
    );
    await execute(
      db.ds,
      "INSERT INTO events (customer_id, source, account, type, occurred_at, dedupe_key) VALUES (?, 'official-account', 'wxoa', 'oa.subscribe', '2025-01-01 00:00:00.000', 'm-ev1')",
      [c1],
    );
    await execute(
      db.ds,
      "INSERT INTO transactions (mch_id, out_trade_no, amount_total, state, customer_id) VALUES ('m1', 'm-T1', 100, 'SUCCESS', ?)",
      [c1],
    );
    await execute(
      db.ds,
      "INSERT INTO oa_subscriptions (app_id, openid, customer_id, subscribed) VALUES ('wxoa', 'm-o1', ?, 1)",
      [c1],
    );
    await execute(
      db.ds,
      "INSERT INTO wecom_follows (corp_id, staff_userid, external_userid, customer_id) VALUES ('ww1', 'zhang', 'm-wm1', ?)",
      [c2],
    );

    const joined = await resolve({ identities: [oa('m-o1'), ext('m-wm1')], source: 'wecom.contact' });
    expect(joined.customerId).toBe(c2);
    expect(joined.merges).toHaveLength(1);
    expect((await survivorOf(db.ds, c1))!.id).toBe(c2);
    for (const t of ['identities', 'events', 'transactions', 'oa_subscriptions', 'wecom_follows']) {
      expect(await count(`SELECT COUNT(*) AS n FROM ${t} WHERE customer_id = ?`, [c1])).toBe(0);
    }
    // tag 7 is held by both: the survivor keeps its own row, the duplicate stays with the merged customer.
    expect(
      (
        await select<{ tag_id: unknown }>(
          db.ds,
          'SELECT tag_id FROM customer_tags WHERE customer_id = ? ORDER BY tag_id',
          [c2],
        )
      ).map((r) => Number(r.tag_id)),
    ).toEqual([7, 8]);
    const [log] = await select<Record<string, unknown>>(db.ds, 'SELECT * FROM merge_log WHERE merged_id = ?', [c1]);
    expect(log).toMatchObject({ survivor_id: c2, reason: 'wecom.contact' });
  });

  it('undoes a merge, refuses a second undo, and does not merge the pair again on the same evidence', async () => {
    const a = (await resolve({ identities: [oa('u-o1')] })).customerId!;
    const b = (await resolve({ identities: [union('u-u1')] })).customerId!;
    await execute(
      db.ds,
      "INSERT INTO events (customer_id, source, account, type, occurred_at, dedupe_key) VALUES (?, 'official-account', 'wxoa', 'oa.subscribe', '2025-01-01 00:00:00.000', 'u-ev1')",
      [a],
    );
    const m = await resolve({ identities: [oa('u-o1'), union('u-u1')] });
    expect(m.customerId).toBe(b);
    const undone = await undoMerge(db.ds, m.merges[0]!, 'admin-key', () => clock);
    expect(undone.restored).toBe(2);
    expect(await ownerOf(oa('u-o1'))).toBe(a);
    expect(await ownerOf(union('u-u1'))).toBe(b);
    expect(await count('SELECT COUNT(*) AS n FROM events WHERE customer_id = ?', [a])).toBe(1);
    expect((await survivorOf(db.ds, a))!.id).toBe(a);
    await expect(undoMerge(db.ds, m.merges[0]!, 'admin-key', () => clock)).rejects.toMatchObject({
      code: 'ALREADY_UNDONE',
    });
    const again = await resolve({ identities: [oa('u-o1'), union('u-u1')] });
    expect(again.merges).toEqual([]);
    expect(again.conflicts).toBe(1);
  });

  it('refuses to undo a merge a later merge depends on', async () => {
    const a = (await resolve({ identities: [oa('d-o1')] })).customerId!;
    await resolve({ identities: [mp('d-m1')] });
    await resolve({ identities: [union('d-u1')] });
    const first = await resolve({ identities: [oa('d-o1'), mp('d-m1')] });
    const second = await resolve({ identities: [oa('d-o1'), union('d-u1')] });
    expect(first.customerId).not.toBe(second.customerId);
    expect((await survivorOf(db.ds, a))!.id).toBe(second.customerId);
    const err = await undoMerge(db.ds, first.merges[0]!, 'x', () => clock).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdentityError);
    expect((err as IdentityError).code).toBe('LATER_MERGE_DEPENDS');
    await undoMerge(db.ds, second.merges[0]!, 'x', () => clock);
    await undoMerge(db.ds, first.merges[0]!, 'x', () => clock);
    expect(await ownerOf(mp('d-m1'))).not.toBe(await ownerOf(oa('d-o1')));
  });

  it('links a phone only from verified evidence, and merges by it', async () => {
    const unverified = await resolve({ identities: [mp('p-m1'), phone('13800000001')] });
    expect(unverified.attached).toEqual([mp('p-m1')]);
    expect(await ownerOf(phone('13800000001'))).toBeUndefined();
    const a = (await resolve({ identities: [mp('p-m1'), phone('13800000001')], verified: true, source: 'mp.phone' }))
      .customerId!;
    expect(await ownerOf(phone('+86 138 0000 0001'))).toBe(a);
    const stored = await select<{ value: string; value_enc: string }>(
      db.ds,
      "SELECT value, value_enc FROM identities WHERE type = 'phone' AND customer_id = ?",
      [a],
    );
    expect(stored[0]!.value).not.toContain('13800000001');
    expect(new PhoneCrypto(KEY).decrypt(stored[0]!.value_enc)).toBe('13800000001');
    const b = (
      await resolve({
        identities: [{ type: 'mp_openid', scope: 'wxmp2', value: 'p-m2' }, phone('13800000001')],
        verified: true,
      })
    ).customerId;
    expect(b).toBe(a);
  });

  it('keeps the phone as an attribute only when mergeByPhone is off', async () => {
    const off = make(false);
    const a = (await resolve({ identities: [mp('q-m1'), phone('13900000001')], verified: true }, off)).customerId!;
    const b = (
      await resolve(
        { identities: [{ type: 'mp_openid', scope: 'wxmp2', value: 'q-m2' }, phone('13900000001')], verified: true },
        off,
      )
    ).customerId!;
    expect(b).not.toBe(a);
    expect(await ownerOf(phone('13900000001'))).toBe(a);
    const [row] = await select<{ phone_enc: string }>(db.ds, 'SELECT phone_enc FROM customers WHERE id = ?', [b]);
    expect(new PhoneCrypto(KEY).decrypt(row!.phone_enc)).toBe('13900000001');
  });

  it('switches phone: the newest verified number replaces the old one, which no longer links', async () => {
    const a = (await resolve({ identities: [mp('s-m1'), phone('13700000001')], verified: true })).customerId!;
    await resolve({ identities: [mp('s-m1'), phone('13700000002')], verified: true });
    expect(await ownerOf(phone('13700000002'))).toBe(a);
    expect(await ownerOf(phone('13700000001'))).toBeUndefined();
    const [row] = await select<{ phone_enc: string }>(db.ds, 'SELECT phone_enc FROM customers WHERE id = ?', [a]);
    expect(new PhoneCrypto(KEY).decrypt(row!.phone_enc)).toBe('13700000002');
    const recycled = (
      await resolve({
        identities: [{ type: 'mp_openid', scope: 'wxmp3', value: 's-m9' }, phone('13700000001')],
        verified: true,
      })
    ).customerId;
    expect(recycled).not.toBe(a);
  });

  it('does not re-create an erased person from a replayed callback', async () => {
    const hasher = new IdentityHasher(KEY);
    await execute(
      db.ds,
      "INSERT INTO erasure_tombstones (identity_hash, identity_type, customer_id) VALUES (?, 'oa_openid', 'gone')",
      [hasher.hash(oa('e-o1'))],
    );
    const r = await resolve({ identities: [oa('e-o1')] });
    expect(r).toMatchObject({ customerId: null, erased: true });
    expect(await ownerOf(oa('e-o1'))).toBeUndefined();
  });
});
