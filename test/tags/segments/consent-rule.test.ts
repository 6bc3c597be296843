import { uuidv7 } from '../../../src/storage/ids';
import { insertIgnore, select } from '../../../src/storage/sql';
import { factSql, readFacts } from '../../../src/storage/segments/rule-facts';
import type { Condition, Rule } from '../../../src/tags/segments/rule-types';
import { validateRule } from '../../../src/tags/segments/rule.validator';
import type {
  ConditionFacts,
  ExplainNode,
  SegmentExplanationJson,
} from '../../../src/tags/segments/segments-api.types';
import { useTestDatabase } from '../../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../../helpers/test-app';

/**
 * The `consent` segment condition (DESIGN §12): granted on some channel and withdrawn on none, or withdrawn on
 * some channel; a withdrawal outweighs a grant, and no record matches neither.
 */
describe('consent segment condition', () => {
  const db = useTestDatabase();
  let t: TestApp;
  let operator: string;
  const now = new Date('2026-06-01T00:00:00.000Z');
  const day = 86_400_000;
  const ago = (d: number) => new Date(now.getTime() - d * day);
  const ids = {
    granted: uuidv7(),
    grantedTwice: uuidv7(),
    withdrawn: uuidv7(),
    mixed: uuidv7(),
    otherPurpose: uuidv7(),
    nobody: uuidv7(),
  };
  const names = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  const api = (path: string, method = 'GET', json?: unknown) =>
    t.request(`/api/v1${path}`, { method, key: operator, ...(json !== undefined ? { json } : {}) });
  const preview = async (rule: unknown): Promise<string[]> => {
    const r = await api('/segments/preview', 'POST', { rule });
    expect(r.status).toBe(200);
    return r.body.sample.map((s: { id: string }) => names[s.id]).sort();
  };

  beforeAll(async () => {
    t = await startTestApp(db.ds, testConfig(db.url));
    t.app.now = () => now.getTime();
    operator = await t.key('operator');
    const created = ago(400);
    await insertIgnore(
      db.ds,
      'customers',
      Object.entries(ids).map(([name, id]) => ({
        id,
        status: 'active',
        display_name: name,
        created_at: created,
        updated_at: created,
      })),
    );
    const consent = (customer: string, purpose: string, channel: string, granted: boolean, daysAgo: number) => ({
      customer_id: customer,
      purpose,
      channel,
      granted,
      source: 'test',
      at: ago(daysAgo),
      updated_at: ago(daysAgo),
    });
    await insertIgnore(db.ds, 'consents', [
      consent(ids.granted, 'marketing', 'oa', true, 10),
      consent(ids.grantedTwice, 'marketing', '', true, 20),
      consent(ids.grantedTwice, 'marketing', 'mp', true, 5),
      consent(ids.withdrawn, 'marketing', '', false, 3),
      // Granted on the OA, withdrawn later in the mini program: the withdrawal counts.
      consent(ids.mixed, 'marketing', 'oa', true, 30),
      consent(ids.mixed, 'marketing', 'mp', false, 2),
      consent(ids.otherPurpose, 'subscribe_msg:TPL1', 'mp', true, 1),
      consent(ids.otherPurpose, 'marketing_sms', '', false, 1),
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each<[string, Rule, string[]]>([
    ['granted (the default)', { type: 'consent', purpose: 'marketing' }, ['granted', 'grantedTwice']],
    ['granted, said outright', { type: 'consent', purpose: 'marketing', granted: true }, ['granted', 'grantedTwice']],
    [
      'withdrawn on any channel, a grant elsewhere notwithstanding',
      { type: 'consent', purpose: 'marketing', granted: false },
      ['mixed', 'withdrawn'],
    ],
    [
      'not granted: withdrawn or no record at all',
      { not: { type: 'consent', purpose: 'marketing', granted: true } },
      ['mixed', 'nobody', 'otherPurpose', 'withdrawn'],
    ],
    ['another purpose', { type: 'consent', purpose: 'subscribe_msg:TPL1' }, ['otherPurpose']],
    ['a purpose is matched whole, never as a prefix or pattern', { type: 'consent', purpose: 'market%' }, []],
    ['a purpose is matched case for case', { type: 'consent', purpose: 'Marketing' }, []],
    [
      'combined with any',
      {
        any: [
          { type: 'consent', purpose: 'marketing', granted: false },
          { type: 'consent', purpose: 'subscribe_msg:TPL1' },
        ],
      },
      ['mixed', 'otherPurpose', 'withdrawn'],
    ],
  ])('%s', async (_name, rule, expected) => {
    expect(validateRule(rule).problems).toEqual([]);
    expect(await preview(rule)).toEqual(expected);
  });

  it('refuses malformed consent conditions with their paths', () => {
    const v = validateRule({
      any: [
        { type: 'consent' },
        { type: 'consent', purpose: '   ' },
        { type: 'consent', purpose: 'x'.repeat(129) },
        { type: 'consent', purpose: 'mark\u0000eting' },
        { type: 'consent', purpose: 'marketing', granted: 'yes' },
        { type: 'consent', purpose: 'marketing', channel: 'oa' },
      ],
    });
    expect(v.rule).toBeUndefined();
    expect(v.problems.map((p) => p.path)).toEqual([
      'rule.any[0].purpose',
      'rule.any[1].purpose',
      'rule.any[2].purpose',
      'rule.any[3].purpose',
      'rule.any[4].granted',
      'rule.any[5]',
    ]);
    expect(v.problems[3]!.message).toMatch(/control characters/);
  });

  it('keeps a purpose trimmed, and takes any printable text up to 128 characters', () => {
    expect(validateRule({ type: 'consent', purpose: '  marketing ' }).rule).toEqual({
      type: 'consent',
      purpose: 'marketing',
    });
    const long = `品牌活动:${'会'.repeat(123)}`;
    expect(validateRule({ type: 'consent', purpose: long, granted: false }).rule).toEqual({
      type: 'consent',
      purpose: long,
      granted: false,
    });
  });

  it('answers a malformed consent condition with 422 naming it', async () => {
    const r = await api('/segments/preview', 'POST', {
      rule: {
        all: [
          { type: 'channel', channel: 'oa' },
          { type: 'consent', purpose: '' },
        ],
      },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.details.problems).toEqual([
      { path: 'rule.all[1].purpose', message: expect.stringMatching(/empty/) },
    ]);
    const extra = await api('/segments/preview', 'POST', {
      rule: { type: 'consent', purpose: 'marketing', channel: 'oa' },
    });
    expect(extra.status).toBe(422);
    expect(extra.body.error.details.problems[0].path).toBe('rule');
  });

  it('gives the explanation the grants, the withdrawals and the newest change', async () => {
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
    const marketing: Condition = { type: 'consent', purpose: 'marketing' };
    expect(await facts(marketing, ids.grantedTwice)).toEqual({
      type: 'consent',
      granted: 2,
      withdrawn: 0,
      lastAt: ago(5).toISOString(),
    });
    expect(await facts(marketing, ids.mixed)).toEqual({
      type: 'consent',
      granted: 1,
      withdrawn: 1,
      lastAt: ago(2).toISOString(),
    });
    expect(await facts(marketing, ids.nobody)).toEqual({ type: 'consent', granted: 0, withdrawn: 0, lastAt: null });
  });

  it('explains why a customer with a grant and a withdrawal is not in a granted segment', async () => {
    const tag = await api('/tags', 'POST', { name: '可营销' });
    const rule = {
      any: [
        { type: 'consent', purpose: 'marketing' },
        { not: { type: 'consent', purpose: 'marketing', granted: false } },
      ],
    };
    const seg = await api('/segments', 'POST', { name: '可营销', tagId: tag.body.id, rule });
    expect(seg.status).toBe(201);
    const mixed = (await api(`/segments/${seg.body.id}/explain?customerId=${ids.mixed}`))
      .body as SegmentExplanationJson;
    expect(mixed.matches).toBe(false);
    const mixedFacts: ConditionFacts = { type: 'consent', granted: 1, withdrawn: 1, lastAt: ago(2).toISOString() };
    expect(mixed.rule).toEqual<ExplainNode>({
      op: 'any',
      met: false,
      items: [
        { op: 'condition', met: false, condition: rule.any[0] as Condition, facts: mixedFacts },
        {
          op: 'not',
          met: false,
          item: {
            op: 'condition',
            met: true,
            condition: { type: 'consent', purpose: 'marketing', granted: false },
            facts: mixedFacts,
          },
        },
      ],
    });
    const nobody = (await api(`/segments/${seg.body.id}/explain?customerId=${ids.nobody}`))
      .body as SegmentExplanationJson;
    expect(nobody.matches).toBe(true);
    expect((nobody.rule as Extract<ExplainNode, { op: 'all' | 'any' }>).items[0]).toEqual({
      op: 'condition',
      met: false,
      condition: { type: 'consent', purpose: 'marketing' },
      facts: { type: 'consent', granted: 0, withdrawn: 0, lastAt: null },
    });
  });
});
