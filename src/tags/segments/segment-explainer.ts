import { survivorOf } from '../../storage/customers/customer.repository';
import { select } from '../../storage/sql';
import { tagNotFound } from '../tag-errors';
import type { TagsDeps } from '../tags-deps';
import { compileRule } from './rule-compiler';
import { factSql, readFacts } from './rule-facts';
import type { Condition, Rule } from './rule-types';
import { findSegment, listSegments, type SegmentRecord } from './segment.repository';
import type { CustomerSegmentsJson, ExplainNode, SegmentExplanationJson } from './segments-api.types';

/** Segments read per page when listing a customer's segments; the catalog has tens, not thousands. */
const PAGE = 500;

/**
 * Why a customer is (or is not) in a segment: every condition of the rule evaluated for that one customer by the
 * same SQL a run uses (rule-compiler.ts), with the facts it compared, combined as the rule combines them.
 */
export class SegmentExplainer {
  constructor(private readonly deps: TagsDeps) {}

  async explain(segmentId: string, customerId: string): Promise<SegmentExplanationJson> {
    const s = await findSegment(this.deps.ds, segmentId);
    if (!s) throw tagNotFound(`segment ${segmentId}`);
    const id = await this.customer(customerId);
    const now = new Date(this.deps.now());
    const leaves: Condition[] = [];
    collect(s.rule, leaves);
    const values = await this.evaluate(id, leaves, now);
    let next = 0;
    const build = (r: Rule): ExplainNode => {
      if ('all' in r) {
        const items = r.all.map(build);
        return { op: 'all', met: items.every((i) => i.met), items };
      }
      if ('any' in r) {
        const items = r.any.map(build);
        return { op: 'any', met: items.some((i) => i.met), items };
      }
      if ('not' in r) {
        const item = build(r.not);
        return { op: 'not', met: !item.met, item };
      }
      const v = values[next++]!;
      return { op: 'condition', met: v.met, condition: r, facts: readFacts(r, v.facts, now) };
    };
    const rule = build(s.rule);
    const active = values.length === 0 ? await this.isActive(id) : values[0]!.active;
    return {
      segmentId: s.id,
      segmentName: s.name,
      customerId: id,
      matches: active && rule.met,
      member: await this.holdsRuleTag(id, s),
      evaluatedAt: now.toISOString(),
      rule,
    };
  }

  async segmentsOf(customerId: string): Promise<CustomerSegmentsJson> {
    const id = await this.customer(customerId);
    const now = new Date(this.deps.now());
    const ruleTags = new Set(
      (
        await select(this.deps.ds, "SELECT tag_id FROM customer_tags WHERE customer_id = ? AND source = 'rule'", [id])
      ).map((r) => String(r.tag_id)),
    );
    const items: CustomerSegmentsJson['items'] = [];
    for (let after: string | undefined; ;) {
      const page = await listSegments(this.deps.ds, { after, limit: PAGE });
      for (const s of page) {
        const { sql, params } = compileRule(s.rule, now);
        const [row] = await select(
          this.deps.ds,
          `SELECT CASE WHEN c.status = 'active' AND ${sql} THEN 1 ELSE 0 END AS m FROM customers c WHERE c.id = ?`,
          [...params, id],
        );
        const matches = Number(row?.m ?? 0) === 1;
        const member = s.tagId !== null && ruleTags.has(s.tagId);
        if (!matches && !member) continue;
        items.push({
          id: s.id,
          name: s.name,
          tagId: s.tagId,
          tagName: s.tagName,
          enabled: s.enabled,
          lastRunAt: s.lastRunAt?.toISOString() ?? null,
          matches,
          member,
        });
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
    return { customerId: id, items };
  }

  /** The customer an id leads to (merges followed), unless unknown or erased. */
  private async customer(customerId: string): Promise<string> {
    const c = await survivorOf(this.deps.ds, customerId);
    if (!c || c.status === 'erased') throw tagNotFound(`customer ${customerId}`);
    return c.id;
  }

  /** Each condition's verdict and facts, in rule order, in one statement over the customer's row. */
  private async evaluate(
    id: string,
    leaves: Condition[],
    now: Date,
  ): Promise<{ active: boolean; met: boolean; facts: unknown[] }[]> {
    if (leaves.length === 0) return [];
    const columns: string[] = ["CASE WHEN c.status = 'active' THEN 1 ELSE 0 END AS active"];
    const params: unknown[] = [];
    const widths: number[] = [];
    leaves.forEach((leaf, i) => {
      const verdict = compileRule(leaf, now);
      columns.push(`CASE WHEN ${verdict.sql} THEN 1 ELSE 0 END AS m${i}`);
      params.push(...verdict.params);
      const facts = factSql(leaf, now);
      facts.columns.forEach((f, j) => columns.push(`${f} AS f${i}_${j}`));
      params.push(...facts.params);
      widths.push(facts.columns.length);
    });
    const [row] = await select(this.deps.ds, `SELECT ${columns.join(', ')} FROM customers c WHERE c.id = ?`, [
      ...params,
      id,
    ]);
    if (!row) throw tagNotFound(`customer ${id}`);
    const active = Number(row.active) === 1;
    return leaves.map((_, i) => ({
      active,
      met: Number(row[`m${i}`]) === 1,
      facts: Array.from({ length: widths[i]! }, (_, j) => row[`f${i}_${j}`]),
    }));
  }

  private async isActive(id: string): Promise<boolean> {
    const [row] = await select(this.deps.ds, 'SELECT status FROM customers WHERE id = ?', [id]);
    return row?.status === 'active';
  }

  private async holdsRuleTag(id: string, s: SegmentRecord): Promise<boolean> {
    if (!s.tagId) return false;
    return (
      (
        await select(
          this.deps.ds,
          "SELECT 1 AS x FROM customer_tags WHERE customer_id = ? AND tag_id = ? AND source = 'rule'",
          [id, s.tagId],
        )
      ).length > 0
    );
  }
}

function collect(r: Rule, out: Condition[]): void {
  if ('all' in r) r.all.forEach((x) => collect(x, out));
  else if ('any' in r) r.any.forEach((x) => collect(x, out));
  else if ('not' in r) collect(r.not, out);
  else out.push(r);
}
