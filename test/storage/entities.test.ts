import { CustomerEntity, IdentityEntity, InboxEntity, TagEntity, UNGROUPED } from '../../src/storage/entities';
import { newCustomerId } from '../../src/storage/ids';
import { useTestDatabase } from '../helpers/describe-db';

describe('entities', () => {
  const db = useTestDatabase();

  it('rejects a second identity with the same (type, scope, value)', async () => {
    const customers = db.ds.getRepository(CustomerEntity);
    const identities = db.ds.getRepository(IdentityEntity);
    const a = await customers.save({ id: newCustomerId(), displayName: 'A' });
    const b = await customers.save({ id: newCustomerId(), displayName: 'B' });
    await identities.insert({ customerId: a.id, type: 'oa_openid', scope: 'wxapp1', value: 'oAbC' });
    await expect(identities.insert({ customerId: b.id, type: 'oa_openid', scope: 'wxapp1', value: 'oAbC' })).rejects.toThrow();
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

    const t = await db.ds.getRepository(TagEntity).save({ name: 'VIP' });
    const tag = await db.ds.getRepository(TagEntity).findOneByOrFail({ id: t.id });
    expect(tag.groupId).toBe(UNGROUPED);
    await expect(db.ds.getRepository(TagEntity).insert({ name: 'VIP' })).rejects.toThrow();
  });
});
