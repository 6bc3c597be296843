import { survivorOf } from '../../storage/customers/customer.repository';
import { tagNotFound } from '../tag-errors';
import type { TagsDeps } from '../tags-deps';
import { factSql, readFacts, verdictSql, type FactSql } from '../../storage/segments/rule-facts';
import { holdsRuleTag, readCustomerFacts } from '../../storage/segments/segment-membership.repository';
import { ruleTagsOf } from '../../storage/tags/customer-tag.repository';
import type { Condition, Rule } from './rule-types';
import { findSegment, listSegments, type SegmentRecord } from '../../storage/segments/segment.repository';
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
    const { active, values } = await this.readCustomer(
      id,
      leaves.flatMap((leaf) => [verdictSql(leaf, now), factSql(leaf, now)]),
    );
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
      const [verdict, facts] = [values[next]!, values[next + 1]!];
      next += 2;
      return { op: 'condition', met: Number(verdict[0]) === 1, condition: r, facts: readFacts(r, facts, now) };
    };
    const rule = build(s.rule);
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
    const ruleTags = await ruleTagsOf(this.deps.ds, id);
    const items: CustomerSegmentsJson['items'] = [];
    for (let after: string | undefined; ;) {
      const page = await listSegments(this.deps.ds, { after, limit: PAGE });
      const { active, values } = await this.readCustomer(
        id,
        page.map((s) => verdictSql(s.rule, now)),
      );
      page.forEach((s, i) => {
        const matches = active && Number(values[i]![0]) === 1;
        const member = s.tagId !== null && ruleTags.has(s.tagId);
        if (!matches && !member) return;
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
      });
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

  /**
   * One statement over the customer's row: whether it is active, and the value of each part's columns, in order
   * (verdicts and facts of every condition, or every segment's verdict, in one round trip).
   */
  private async readCustomer(id: string, parts: FactSql[]): Promise<{ active: boolean; values: unknown[][] }> {
    const read = await readCustomerFacts(this.deps.ds, id, parts);
    if (!read) throw tagNotFound(`customer ${id}`);
    return read;
  }

  private async holdsRuleTag(id: string, s: SegmentRecord): Promise<boolean> {
    if (!s.tagId) return false;
    return holdsRuleTag(this.deps.ds, id, s.tagId);
  }
}

function collect(r: Rule, out: Condition[]): void {
  if ('all' in r) r.all.forEach((x) => collect(x, out));
  else if ('any' in r) r.any.forEach((x) => collect(x, out));
  else if ('not' in r) collect(r.not, out);
  else out.push(r);
}
