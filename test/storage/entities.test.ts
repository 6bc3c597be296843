import { CustomerEntity, IdentityEntity, InboxEntity, TagEntity, UNGROUPED } from '../../src/storage/entities';
import { newCustomerId } from '../../src/storage/ids';
import { testDialect, useTestDatabase } from '../helpers/describe-db';

describe('entities', () => {
  const db = useTestDatabase();

  it('rejects a second identity with the same (type, scope, value)', async () => {
    const customers = db.ds.getRepository(CustomerEntity);
    const identities = db.ds.getRepository(IdentityEntity);
    const a = await customers.save({ id: newCustomerId(), displayName: 'A' });
    const b = await customers.save({ id: newCustomerId(), displayName: 'B' });
    await identities.insert({ customerId: a.id, type: 'oa_openid', scope: 'wxapp1', value: 'oAbC' });
    await expect(
      identities.insert({ customerId: b.id, type: 'oa_openid', scope: 'wxapp1', value: 'oAbC' }),
    ).rejects.toThrow();
    // openids are case-sensitive: a value differing only in case is another identity
    await identities.insert({ customerId: b.id, type: 'oa_openid', scope: 'wxapp1', value: 'oabc' });
    expect(await identities.count()).toBe(2);
  });

  it('fills defaults, returns string ids and Date timestamps', async () => {
    const before = Date.now();
    const id = newCustomerId();
    await db.ds.getRepository(CustomerEntity).insert({ id });
    const c = await db.ds.getRepository(CustomerEntity).findOneByOrFail({ id });
    expect(c.status).toBe('active');
    expect(c.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(c.createdAt.getTime() - before)).toBeLessThan(5_000);

    const r = await db.ds.getRepository(InboxEntity).save({
      account: 'wxapp1',
      channel: 'official-account',
      kind: 'event',
      dedupeKey: 'k1',
      raw: '<xml/>',
      events: [{ kind: 'unsupported' }],
    });
    expect(typeof r.id).toBe('string');
    const row = await db.ds.getRepository(InboxEntity).findOneByOrFail({ id: r.id });
    expect(row).toMatchObject({ status: 'pending', attempts: 0, events: [{ kind: 'unsupported' }] });
    expect(typeof row.id).toBe('string');
    expect(row.nextAttemptAt).toBeInstanceOf(Date);
    expect(Math.abs(row.receivedAt.getTime() - before)).toBeLessThan(5_000);
    if (testDialect === 'sqlite') {
      // defaults keep milliseconds, in the same text form TypeORM writes for Dates
      const [raw] = (await db.ds.query('SELECT received_at, next_attempt_at FROM inbox WHERE id = ?', [
        r.id,
      ])) as Record<string, string>[];
      expect(raw?.received_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
      expect(raw?.next_attempt_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    }

    const t = await db.ds.getRepository(TagEntity).save({ name: 'VIP' });
    const tag = await db.ds.getRepository(TagEntity).findOneByOrFail({ id: t.id });
    expect(tag.groupId).toBe(UNGROUPED);
    await expect(db.ds.getRepository(TagEntity).insert({ name: 'VIP' })).rejects.toThrow();
  });

  it('stores 4-byte UTF-8 (emoji nicknames) and compares WeChat ids case-sensitively', async () => {
    const id = newCustomerId();
    await db.ds.getRepository(CustomerEntity).insert({ id, displayName: '小明🐳' });
    expect((await db.ds.getRepository(CustomerEntity).findOneByOrFail({ id })).displayName).toBe('小明🐳');
    if (testDialect !== 'mysql') return;
    const rows = (await db.ds.query(
      `SELECT table_name AS t, column_name AS c, character_set_name AS cs, collation_name AS co FROM information_schema.columns
       WHERE table_schema = DATABASE() AND ((table_name = 'identities' AND column_name = 'value') OR (table_name = 'customers' AND column_name = 'display_name'))
       ORDER BY table_name`,
    )) as { t: string; c: string; cs: string; co: string }[];
    expect(rows.map((r) => [r.t, r.cs, r.co])).toEqual([
      ['customers', 'utf8mb4', 'utf8mb4_unicode_ci'],
      ['identities', 'utf8mb4', 'utf8mb4_bin'],
    ]);
  });
});
