import { uuidv7 } from '../../../src/storage/ids';
import { idString, insertIgnore, select } from '../../../src/storage/sql';
import { compileRule } from '../../../src/storage/segments/rule-compiler';
import { factSql, readFacts } from '../../../src/storage/segments/rule-facts';
import type { Condition, Rule } from '../../../src/tags/segments/rule-types';
import { validateRule } from '../../../src/tags/segments/rule.validator';
import { useTestDatabase } from '../../helpers/describe-db';

/** The `source` segment condition (DESIGN §10.2): came through a channel code, first, lately. */
describe('source segment condition', () => {
  const db = useTestDatabase();
  const now = new Date('2026-06-01T00:00:00.000Z');
  const day = 86_400_000;
  const ago = (d: number) => new Date(now.getTime() - d * day);
  const ids = { posterFirst: uuidv7(), storeFirst: uuidv7(), posterLongAgo: uuidv7(), tie: uuidv7(), nobody: uuidv7() };
  const channel: Record<'poster' | 'store', string> = { poster: '', store: '' };

  beforeAll(async () => {
    const t = ago(400);
    await insertIgnore(
      db.ds,
      'customers',
      Object.entries(ids).map(([name, id]) => ({
        id,
        status: 'active',
        display_name: name,
        created_at: t,
        updated_at: t,
      })),
    );
    for (const [name, code] of [
      ['双十一海报', 'ch_poster'],
      ['门店导购', 'ch_store'],
    ] as const) {
      await insertIgnore(db.ds, 'channels', [
        {
          name,
          kind: 'oa-qrcode',
          account_id: 'wxapp',
          code,
          permanent: true,
          skip_verify: false,
          tag_ids: '[]',
          created_at: t,
          updated_at: t,
        },
      ]);
    }
    for (const r of await select(db.ds, 'SELECT id, code FROM channels'))
      channel[r.code === 'ch_poster' ? 'poster' : 'store'] = idString(r.id);
    const touch = (customer: string, ch: string, firstDaysAgo: number, lastDaysAgo: number) => ({
      customer_id: customer,
      channel_id: ch,
      first_at: ago(firstDaysAgo),
      last_at: ago(lastDaysAgo),
      touches: 1,
    });
    await insertIgnore(db.ds, 'customer_channels', [
      touch(ids.posterFirst, channel.poster, 3, 3),
      touch(ids.posterFirst, channel.store, 2, 2),
      touch(ids.storeFirst, channel.store, 30, 30),
      touch(ids.storeFirst, channel.poster, 20, 1),
      touch(ids.posterLongAgo, channel.poster, 90, 90),
      // Two channels at the same moment: the older row is the first, so exactly one is.
      touch(ids.tie, channel.poster, 10, 10),
      touch(ids.tie, channel.store, 10, 10),
    ]);
  });

  const names = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  async function members(rule: Rule): Promise<string[]> {
    const { sql, params } = compileRule(rule, now);
    const rows = await select(db.ds, `SELECT c.id FROM customers c WHERE c.status = 'active' AND ${sql}`, params);
    return rows.map((r) => names[String(r.id)]!).sort();
  }

  it.each<[string, () => Rule, string[]]>([
    [
      'came through the poster at all',
      () => ({ type: 'source', channelId: channel.poster }),
      ['posterFirst', 'posterLongAgo', 'storeFirst', 'tie'],
    ],
    [
      'the poster brought them first',
      () => ({ type: 'source', channelId: channel.poster, first: true }),
      ['posterFirst', 'posterLongAgo', 'tie'],
    ],
    [
      'came through the poster in the last 7 days (a returning scan counts)',
      () => ({ type: 'source', channelId: channel.poster, withinDays: 7 }),
      ['posterFirst', 'storeFirst'],
    ],
    [
      'first through the poster, lately',
      () => ({ type: 'source', channelId: channel.poster, first: true, withinDays: 7 }),
      ['posterFirst'],
    ],
    ['the store brought them first', () => ({ type: 'source', channelId: channel.store, first: true }), ['storeFirst']],
    [
      'never came through any',
      () => ({
        all: [
          { not: { type: 'source', channelId: channel.poster } },
          { not: { type: 'source', channelId: channel.store } },
        ],
      }),
      ['nobody'],
    ],
  ])('%s', async (_name, rule, expected) => {
    expect(validateRule(rule()).problems).toEqual([]);
    expect(await members(rule())).toEqual(expected);
  });

  it('refuses malformed source conditions with their paths', () => {
    const v = validateRule({
      any: [
        { type: 'source' },
        { type: 'source', channelId: 'poster' },
        { type: 'source', channelId: '1', first: false },
        { type: 'source', channelId: '1', withinDays: 0 },
      ],
    });
    expect(v.rule).toBeUndefined();
    expect(v.problems.map((p) => p.path)).toEqual([
      'rule.any[0].channelId',
      'rule.any[1].channelId',
      'rule.any[2].first',
      'rule.any[3].withinDays',
    ]);
  });

  it('gives the explanation the channel name and the first and last touch', async () => {
    const facts = async (c: Condition, customer: string) => {
      const f = factSql(c, now);
      const [row] = await select(
        db.ds,
        `SELECT ${f.columns.map((col, i) => `${col} AS f${i}`).join(', ')} FROM customers c WHERE c.id = ?`,
        [...f.params, customer],
      );
      return readFacts(
        c,
        f.columns.map((_, i) => row![`f${i}`]),
        now,
      );
    };
    expect(await facts({ type: 'source', channelId: channel.poster, first: true }, ids.storeFirst)).toEqual({
      type: 'source',
      channelName: '双十一海报',
      firstAt: ago(20).toISOString(),
      lastAt: ago(1).toISOString(),
    });
    expect(await facts({ type: 'source', channelId: channel.store }, ids.posterLongAgo)).toEqual({
      type: 'source',
      channelName: '门店导购',
      firstAt: null,
      lastAt: null,
    });
  });
});
