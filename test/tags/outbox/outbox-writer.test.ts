import { uuidv7 } from '../../../src/storage/ids';
import { insertIgnore, select } from '../../../src/storage/sql';
import { OutboxWriter } from '../../../src/tags/outbox/outbox-writer';
import { recordPushed } from '../../../src/storage/tags/remote-tag-state.repository';
import { useTestDatabase } from '../../helpers/describe-db';

describe('outbox writer', () => {
  const db = useTestDatabase();
  const now = new Date('2026-03-01T00:00:00.000Z');
  const writer = new OutboxWriter('all');
  const customers = Array.from({ length: 70 }, (_, i) => ({ id: uuidv7(), openid: `o${String(i).padStart(3, '0')}` }));

  beforeAll(async () => {
    await insertIgnore(
      db.ds,
      'customers',
      customers.map((c) => ({ id: c.id, status: 'active', created_at: now, updated_at: now })),
    );
    await insertIgnore(
      db.ds,
      'identities',
      customers.map((c) => ({
        customer_id: c.id,
        type: 'oa_openid',
        scope: 'wxA',
        value: c.openid,
        verified: false,
        created_at: now,
        updated_at: now,
      })),
    );
    await insertIgnore(
      db.ds,
      'oa_subscriptions',
      customers.map((c, i) => ({
        app_id: 'wxA',
        openid: c.openid,
        customer_id: c.id,
        subscribed: i !== 69,
        created_at: now,
        updated_at: now,
      })),
    );
    await db.ds.query(
      "INSERT INTO tags (id, name, group_id, created_at, updated_at) VALUES (1, 't', 0, '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000')",
    );
    await db.ds.query(
      "INSERT INTO tag_bindings (tag_id, channel, account, remote_tag_id, remote_name, status, created_at, updated_at) VALUES (1, 'oa', 'wxA', '100', 't', 'bound', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000')",
    );
  });

  const rows = async () =>
    (await select(db.ds, "SELECT op_key, payload FROM outbox WHERE status = 'pending' ORDER BY id")).map((r) => ({
      key: String(r.op_key),
      openids: (JSON.parse(String(r.payload)) as { openids: string[] }).openids,
    }));
  const want = (list: typeof customers) =>
    insertIgnore(
      db.ds,
      'customer_tags',
      list.map((c) => ({ customer_id: c.id, tag_id: 1, source: 'manual', created_at: now })),
    );

  it('queues only differences, tops partial rows up to 50 and never queues an openid twice', async () => {
    await want(customers.slice(0, 3));
    expect(
      await writer.enqueueCustomers(
        db.ds,
        '1',
        customers.slice(0, 3).map((c) => c.id),
        now,
      ),
    ).toEqual({ oaAdds: 3, oaRemoves: 0, wecomRelations: 0 });
    await want(customers.slice(3, 70));
    const counts = await writer.enqueueCustomers(
      db.ds,
      '1',
      customers.map((c) => c.id),
      now,
    );
    expect(counts.oaAdds).toBe(66); // 67 new minus the unsubscribed follower; the first 3 were queued already
    const queued = await rows();
    expect(queued.map((r) => r.openids.length)).toEqual([50, 19]);
    expect(new Set(queued.flatMap((r) => r.openids)).size).toBe(69);
    expect(queued.every((r) => r.key === 'oa:wxA:1:add')).toBe(true);
  });

  it('queues removals only for subjects WeChat is known to hold', async () => {
    await db.ds.query('DELETE FROM outbox');
    await recordPushed(
      db.ds,
      'oa',
      'wxA',
      customers.slice(0, 2).map((c) => ({ subject: c.openid, remoteTagId: '100', customerId: c.id, present: true })),
      now,
    );
    await db.ds.query('DELETE FROM customer_tags');
    expect(
      await writer.enqueueCustomers(
        db.ds,
        '1',
        customers.map((c) => c.id),
        now,
      ),
    ).toEqual({ oaAdds: 0, oaRemoves: 2, wecomRelations: 0 });
    const queued = await rows();
    expect(queued.map((r) => ({ ...r, openids: [...r.openids].sort() }))).toEqual([
      { key: 'oa:wxA:1:remove', openids: [customers[0]!.openid, customers[1]!.openid] },
    ]);
  });
});
