import { createTestDatabase, type TestDatabase } from '../../helpers/test-db';
import { InboxRepository, MAX_MYSQL_INSERT_ROWS } from '../../../src/storage/inbox/inbox.repository';
import type { InboxEntry } from '../../../src/inbox/inbox-writer';
import { select } from '../../../src/storage/sql';

const entry = (n: number): InboxEntry => ({
  account: 'wxrepo',
  channel: 'official-account',
  kind: 'oa.message.text',
  dedupeKey: `oa:wxrepo:msg:${n}`,
  raw: `<xml><MsgId>${n}</MsgId><Content><![CDATA[it's "quoted" \\ and 中文]]></Content></xml>`,
  events: [
    {
      kind: 'unsupported',
      channel: 'official-account',
      account: 'wxrepo',
      occurredAt: '2026-01-01T00:00:00.000Z',
      what: `m${n}`,
    },
  ],
});

describe('InboxRepository.insertMany (the group-commit INSERT)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('stores a batch larger than one MySQL statement takes, byte for byte, and skips rows already there', async () => {
    const repo = new InboxRepository(db.ds);
    const count = MAX_MYSQL_INSERT_ROWS * 2 + 5;
    await repo.insertMany([entry(1)], new Date('2026-01-01T00:00:00Z'));
    await repo.insertMany(
      Array.from({ length: count }, (_, i) => entry(i + 1)),
      new Date('2026-01-01T00:00:01Z'),
    );
    const rows = await select<{ dedupe_key: string; raw: string; events: unknown; status: string; attempts: unknown }>(
      db.ds,
      "SELECT dedupe_key, raw, events, status, attempts FROM inbox WHERE account = 'wxrepo' ORDER BY id",
    );
    expect(rows).toHaveLength(count);
    expect(rows.map((r) => r.dedupe_key)).toEqual(Array.from({ length: count }, (_, i) => `oa:wxrepo:msg:${i + 1}`));
    const last = rows[count - 1]!;
    expect(last.raw).toBe(entry(count).raw);
    expect(typeof last.events === 'string' ? JSON.parse(last.events) : last.events).toEqual(entry(count).events);
    expect(rows.every((r) => r.status === 'pending' && Number(r.attempts) === 0)).toBe(true);
  });

  it('rejects when the table cannot take the rows (the intake answers 503)', async () => {
    const repo = new InboxRepository(db.ds);
    await db.ds.query('ALTER TABLE inbox RENAME TO inbox_away');
    try {
      await expect(repo.insertMany([entry(9001)], new Date())).rejects.toThrow();
    } finally {
      await db.ds.query('ALTER TABLE inbox_away RENAME TO inbox');
    }
  });
});
