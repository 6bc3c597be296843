import { ChannelStatsService } from '../../src/channels/channel-stats.service';
import { ChannelError } from '../../src/channels/channel.errors';
import { uuidv7 } from '../../src/storage/ids';
import { idString, insertIgnore, select } from '../../src/storage/sql';
import { useTestDatabase } from '../helpers/describe-db';
import { testConfig } from '../helpers/test-app';

/** `GET /channels/:id/stats` numbers (DESIGN §10.2, §13), counted in SQL, days in Asia/Shanghai. */
describe('channel stats', () => {
  const db = useTestDatabase();
  // 2026-06-10 12:00 in Shanghai.
  const now = Date.parse('2026-06-10T04:00:00.000Z');
  const at = (iso: string) => new Date(iso);
  let channelId: string;
  let stats: ChannelStatsService;
  const c = { a: uuidv7(), b: uuidv7(), c: uuidv7(), d: uuidv7() };

  beforeAll(async () => {
    stats = new ChannelStatsService({ ds: db.ds, config: testConfig(db.url), now: () => now });
    const t = at('2026-01-01T00:00:00Z');
    await insertIgnore(
      db.ds,
      'customers',
      Object.values(c).map((id) => ({ id, status: 'active', created_at: t, updated_at: t })),
    );
    await insertIgnore(db.ds, 'channels', [
      {
        name: '海报',
        kind: 'oa-qrcode',
        account_id: 'wx1',
        code: 'ch_x',
        permanent: true,
        skip_verify: false,
        tag_ids: '[]',
        created_at: t,
        updated_at: t,
      },
    ]);
    channelId = idString((await select(db.ds, 'SELECT id FROM channels'))[0]!.id);
    let k = 0;
    const act = (customer: string, kind: string, iso: string) => ({
      channel_id: channelId,
      customer_id: customer,
      kind,
      at: at(iso),
      dedupe_key: `k${k++}`,
    });
    await insertIgnore(db.ds, 'channel_activity', [
      // 2026-05-01 in Shanghai (23:30 UTC the day before): a and b new; a lost 3 days later, b stays.
      act(c.a, 'new', '2026-04-30T23:30:00Z'),
      act(c.b, 'new', '2026-05-01T02:00:00Z'),
      act(c.a, 'lost', '2026-05-04T02:00:00Z'),
      // c new on 2026-06-09, lost the same day; d new today (too young for any retention), returning today.
      act(c.c, 'new', '2026-06-09T01:00:00Z'),
      act(c.c, 'lost', '2026-06-09T03:00:00Z'),
      act(c.d, 'new', '2026-06-10T01:00:00Z'),
      act(c.d, 'returning', '2026-06-10T02:00:00Z'),
      act(c.d, 'returning', '2026-06-10T03:00:00Z'),
    ]);
    await insertIgnore(
      db.ds,
      'customer_channels',
      Object.values(c).map((id) => ({ customer_id: id, channel_id: channelId, first_at: t, last_at: t, touches: 1 })),
    );
    await insertIgnore(db.ds, 'welcome_sends', [
      {
        welcome_code: 'w1',
        channel_id: channelId,
        corp_id: 'ww',
        staff_userid: 's',
        external_userid: 'e1',
        event_at: at('2026-06-10T01:00:00Z'),
        status: 'sent',
      },
      {
        welcome_code: 'w2',
        channel_id: channelId,
        corp_id: 'ww',
        staff_userid: 's',
        external_userid: 'e2',
        event_at: at('2026-06-10T01:00:00Z'),
        status: 'expired',
      },
    ]);
  });

  it('counts new, returning, lost and net per local day, zeros included', async () => {
    const s = await stats.stats(channelId, { from: '2026-05-01', to: '2026-05-04' });
    expect(s.days).toEqual([
      { date: '2026-05-01', new: 2, returning: 0, lost: 0, net: 2 },
      { date: '2026-05-02', new: 0, returning: 0, lost: 0, net: 0 },
      { date: '2026-05-03', new: 0, returning: 0, lost: 0, net: 0 },
      { date: '2026-05-04', new: 0, returning: 0, lost: 1, net: -1 },
    ]);
    const recent = await stats.stats(channelId, { from: '2026-06-09', to: '2026-06-10' });
    expect(recent.days).toEqual([
      { date: '2026-06-09', new: 1, returning: 0, lost: 1, net: 0 },
      { date: '2026-06-10', new: 1, returning: 1, lost: 0, net: 1 },
    ]);
    expect(recent.welcome).toEqual({ sent: 1, failed: 0, expired: 1 });
    expect(recent.customers).toBe(4);
  });

  it('gives retention of the window new customers, null while none is old enough', async () => {
    const may = await stats.stats(channelId, { from: '2026-05-01', to: '2026-05-01' });
    // a was lost on day 3: kept at 1 day, gone by 7 and 30; b kept throughout.
    expect(may.retention).toEqual({ d1: 1, d7: 0.5, d30: 0.5 });
    const june = await stats.stats(channelId, { from: '2026-06-09', to: '2026-06-10' });
    // c (1.1 days old, lost within hours) is the only one a day old; nobody is 7 days old.
    expect(june.retention).toEqual({ d1: 0, d7: null, d30: null });
  });

  it('defaults to the last 30 days and refuses bad dates with 422', async () => {
    const s = await stats.stats(channelId, {});
    expect(s.days).toHaveLength(30);
    expect(s.to).toBe('2026-06-10');
    for (const q of [
      { from: '2026-13-01' },
      { from: '2026-06-10', to: '2026-06-01' },
      { from: '2024-01-01', to: '2026-01-01' },
    ]) {
      await expect(stats.stats(channelId, q)).rejects.toBeInstanceOf(ChannelError);
    }
  });

  it('lists the customers it brought, newest first, with a cursor', async () => {
    const first = await stats.customers(channelId, 3);
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const rest = await stats.customers(channelId, 3, first.nextCursor!);
    expect(rest.items).toHaveLength(1);
    expect(new Set([...first.items, ...rest.items].map((i) => i.customerId))).toEqual(new Set(Object.values(c)));
    expect(first.items[0]!.name).toMatch(/^客户 /);
  });
});
