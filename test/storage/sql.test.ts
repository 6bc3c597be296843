import { InboxEntity, OaSubscriptionEntity } from '../../src/storage/entities';
import {
  execute,
  forUpdateSkipLocked,
  fromDbTime,
  idString,
  insertIgnore,
  isDuplicateKeyError,
  nowSql,
  q,
  select,
  toDbTime,
  upsert,
} from '../../src/storage/sql';
import { testDialect, useTestDatabase } from '../helpers/describe-db';
import { clearTables } from '../helpers/test-db';

const inboxRow = (dedupeKey: string) => ({
  account: 'wxapp1',
  channel: 'official-account',
  kind: 'message',
  dedupe_key: dedupeKey,
  raw: '<xml><MsgId>1</MsgId></xml>',
});

describe('sql helpers', () => {
  const db = useTestDatabase();
  beforeEach(async () => clearTables(db.ds));

  it('reports a duplicate dedupe key as a duplicate-key error', async () => {
    await insertIgnore(db.ds, 'inbox', [inboxRow('m1')]);
    const err = await execute(
      db.ds,
      `INSERT INTO inbox (account, channel, kind, dedupe_key, raw) VALUES (?, ?, ?, ?, ?)`,
      ['wxapp1', 'official-account', 'message', 'm1', '<xml/>'],
    ).catch((e: unknown) => e);
    expect(isDuplicateKeyError(err)).toBe(true);
    expect(isDuplicateKeyError(new Error('other'))).toBe(false);
  });

  it('insertIgnore counts only the rows it inserted', async () => {
    expect(await insertIgnore(db.ds, 'inbox', [inboxRow('a'), inboxRow('b')])).toBe(2);
    expect(await insertIgnore(db.ds, 'inbox', [inboxRow('b'), inboxRow('c'), inboxRow('a')])).toBe(1);
    expect(await insertIgnore(db.ds, 'inbox', [inboxRow('c')])).toBe(0);
    expect(await db.ds.getRepository(InboxEntity).count()).toBe(3);
  });

  it('execute returns the id of a single inserted row and matched rows of an update', async () => {
    const r = await execute(
      db.ds,
      'INSERT INTO inbox (account, channel, kind, dedupe_key, raw) VALUES (?, ?, ?, ?, ?)',
      ['wxapp1', 'official-account', 'message', 'x', '<xml/>'],
    );
    expect(r.affected).toBe(1);
    const row = await db.ds.getRepository(InboxEntity).findOneByOrFail({ dedupeKey: 'x' });
    expect(r.insertId).toBe(row.id);
    // same value written again: still one matched row on both drivers
    expect((await execute(db.ds, `UPDATE inbox SET status = ? WHERE id = ?`, ['pending', row.id])).affected).toBe(1);
    expect((await execute(db.ds, `UPDATE inbox SET status = ? WHERE id = ?`, ['pending', '999999'])).affected).toBe(0);
  });

  it('upsert inserts, then updates the listed columns on conflict', async () => {
    const base = { app_id: 'wxapp1', openid: 'oA', subscribed: true, remark: 'first', tagid_list: [2, 5] };
    await upsert(db.ds, 'oa_subscriptions', [base, { ...base, openid: 'oB' }], {
      conflict: ['app_id', 'openid'],
      update: ['subscribed', 'remark'],
    });
    await upsert(db.ds, 'oa_subscriptions', [{ ...base, subscribed: false, remark: 'second' }], {
      conflict: ['app_id', 'openid'],
      update: ['subscribed', 'remark'],
    });
    const rows = await db.ds.getRepository(OaSubscriptionEntity).find({ order: { openid: 'ASC' } });
    expect(rows.map((r) => [r.openid, r.subscribed, r.remark, r.tagidList])).toEqual([
      ['oA', false, 'second', [2, 5]],
      ['oB', true, 'first', [2, 5]],
    ]);
  });

  it('binds Dates as UTC text that entities read back to the millisecond and compares with nowSql', async () => {
    const due = new Date(Date.now() - 60_000 + 123);
    await insertIgnore(db.ds, 'inbox', [{ ...inboxRow('t'), next_attempt_at: due }]);
    const row = await db.ds.getRepository(InboxEntity).findOneByOrFail({ dedupeKey: 't' });
    expect(row.nextAttemptAt.getTime()).toBe(due.getTime());
    const raw = await select<{ id: unknown; next_attempt_at: unknown }>(
      db.ds,
      `SELECT id, next_attempt_at FROM inbox WHERE ${q(db.ds, 'status')} = ? AND next_attempt_at <= ${nowSql(db.ds)}`,
      ['pending'],
    );
    expect(raw).toHaveLength(1);
    expect(idString(raw[0]?.id)).toBe(row.id);
    expect(fromDbTime(raw[0]?.next_attempt_at)?.getTime()).toBe(due.getTime());
    expect(toDbTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe('2026-01-02 03:04:05.006');
  });

  it('runs inside a transaction when given its EntityManager', async () => {
    await db.ds
      .transaction(async (em) => {
        await insertIgnore(em, 'inbox', [inboxRow('tx')]);
        expect(await select(em, 'SELECT id FROM inbox WHERE dedupe_key = ?', ['tx'])).toHaveLength(1);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await select(db.ds, 'SELECT id FROM inbox WHERE dedupe_key = ?', ['tx'])).toHaveLength(0);
  });

  it('claims rows with SKIP LOCKED on MySQL/MariaDB and plain SELECT on SQLite', async () => {
    expect(forUpdateSkipLocked(db.ds)).toBe(testDialect === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : '');
    await insertIgnore(db.ds, 'inbox', [inboxRow('c1'), inboxRow('c2')]);
    const claimed = await db.ds.transaction((em) =>
      select(em, `SELECT id FROM inbox WHERE status = ? ORDER BY id LIMIT 1${forUpdateSkipLocked(em)}`, ['pending']),
    );
    expect(claimed).toHaveLength(1);
  });
});
