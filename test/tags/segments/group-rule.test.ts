import { uuidv7 } from '../../../src/storage/ids';
import { insertIgnore, select } from '../../../src/storage/sql';
import { compileRule } from '../../../src/storage/segments/rule-compiler';
import { factSql, readFacts } from '../../../src/storage/segments/rule-facts';
import type { Condition, Rule } from '../../../src/tags/segments/rule-types';
import { validateRule } from '../../../src/tags/segments/rule.validator';
import { useTestDatabase } from '../../helpers/describe-db';

/** Segment conditions on customer groups (DESIGN §10.1): `group` (member now) and `groupCount`. */
describe('group segment conditions', () => {
  const db = useTestDatabase();
  const now = new Date('2026-06-01T00:00:00.000Z');
  const day = 86_400_000;
  const ago = (d: number) => new Date(now.getTime() - d * day);
  const ids = { inTwoCorps: uuidv7(), inOne: uuidv7(), leftOnly: uuidv7(), dismissedOnly: uuidv7(), nobody: uuidv7() };

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
    const ext = (customer: string, corp: string, value: string) => ({
      customer_id: customer,
      type: 'wecom_external_userid',
      scope: corp,
      value,
      verified: false,
      created_at: t,
      updated_at: t,
    });
    await insertIgnore(db.ds, 'identities', [
      ext(ids.inTwoCorps, 'ww1', 'wmA'),
      ext(ids.inTwoCorps, 'ww2', 'wmB'),
      ext(ids.inOne, 'ww1', 'wmC'),
      ext(ids.leftOnly, 'ww1', 'wmD'),
      ext(ids.dismissedOnly, 'ww1', 'wmE'),
    ]);
    const group = (corp: string, chat: string, name: string, status = 'active') => ({
      corp_id: corp,
      chat_id: chat,
      name,
      status,
      owner_status: 0,
      member_count: 0,
      created_at: t,
      updated_at: t,
    });
    await insertIgnore(db.ds, 'wecom_groups', [
      group('ww1', 'wr1', '售后群'),
      group('ww1', 'wr2', '新品群'),
      group('ww2', 'wr3', '华东群'),
      group('ww1', 'wr4', '已解散', 'dismissed'),
    ]);
    const member = (
      corp: string,
      chat: string,
      userid: string,
      joinedDaysAgo: number,
      extra: Record<string, unknown> = {},
    ) => ({
      corp_id: corp,
      chat_id: chat,
      userid,
      member_type: 2,
      join_time: ago(joinedDaysAgo),
      join_scene: 1,
      left_at: null,
      quit_scene: null,
      created_at: t,
      updated_at: t,
      ...extra,
    });
    // insertIgnore takes its columns from the first row, so every row names them all (left_at too).
    await insertIgnore(db.ds, 'wecom_group_members', [
      member('ww1', 'wr1', 'wmA', 3),
      member('ww1', 'wr2', 'wmA', 100),
      member('ww2', 'wr3', 'wmB', 10),
      member('ww1', 'wr1', 'wmC', 50),
      member('ww1', 'wr1', 'wmD', 2, { left_at: ago(1), quit_scene: 0 }),
      member('ww1', 'wr4', 'wmE', 5),
      // A staff member whose userid equals an external_userid of the corp is not that customer.
      member('ww1', 'wr2', 'wmC', 1, { member_type: 1 }),
    ]);
  });

  const names = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  async function members(rule: Rule): Promise<string[]> {
    const { sql, params } = compileRule(rule, now);
    const rows = await select(db.ds, `SELECT c.id FROM customers c WHERE c.status = 'active' AND ${sql}`, params);
    return rows.map((r) => names[String(r.id)]!).sort();
  }

  it.each<[string, Rule, string[]]>([
    ['a member of any group now', { type: 'group' }, ['inOne', 'inTwoCorps']],
    ['a member of one chat', { type: 'group', chatId: 'wr1' }, ['inOne', 'inTwoCorps']],
    ['not a member of a dismissed group', { type: 'group', chatId: 'wr4' }, []],
    ['a member of a group of one corp', { type: 'group', corpId: 'ww2' }, ['inTwoCorps']],
    ['joined one chat lately', { type: 'group', chatId: 'wr1', joinedWithinDays: 7 }, ['inTwoCorps']],
    ['joined any group within 60 days', { type: 'group', joinedWithinDays: 60 }, ['inOne', 'inTwoCorps']],
    ['in 2+ groups (across corps)', { type: 'groupCount', min: 2 }, ['inTwoCorps']],
    ['in exactly one group', { type: 'groupCount', min: 1, max: 1 }, ['inOne']],
    ['in no group now (left or dismissed)', { type: 'groupCount', max: 0 }, ['dismissedOnly', 'leftOnly', 'nobody']],
    [
      'combined with not',
      { all: [{ type: 'group', chatId: 'wr1' }, { not: { type: 'group', corpId: 'ww2' } }] },
      ['inOne'],
    ],
  ])('%s', async (_name, rule, expected) => {
    expect(validateRule(rule).problems).toEqual([]);
    expect(await members(rule)).toEqual(expected);
  });

  it('refuses malformed group conditions with their paths', () => {
    const v = validateRule({
      any: [
        { type: 'groupCount' },
        { type: 'groupCount', min: 3, max: 1 },
        { type: 'group', joinedWithinDays: 0 },
        { type: 'group', chat: 'wr1' },
      ],
    });
    expect(v.rule).toBeUndefined();
    expect(v.problems.map((p) => p.path)).toEqual([
      'rule.any[0]',
      'rule.any[1]',
      'rule.any[2].joinedWithinDays',
      'rule.any[3]',
    ]);
  });

  it('gives the explanation its facts: matching memberships, the named group, the group count', async () => {
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
    expect(await facts({ type: 'group', chatId: 'wr1', joinedWithinDays: 7 }, ids.inTwoCorps)).toEqual({
      type: 'group',
      groups: 1,
      groupName: '售后群',
    });
    expect(await facts({ type: 'group', chatId: 'wr1' }, ids.leftOnly)).toEqual({
      type: 'group',
      groups: 0,
      groupName: '售后群',
    });
    expect(await facts({ type: 'group' }, ids.inOne)).toEqual({ type: 'group', groups: 1, groupName: null });
    expect(await facts({ type: 'groupCount', min: 1 }, ids.inTwoCorps)).toEqual({ type: 'groupCount', groups: 3 });
  });
});
