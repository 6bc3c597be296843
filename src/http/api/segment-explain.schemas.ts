import type { JsonSchema, QueryParameter } from './openapi';

/** JSON Schemas of the explanation bodies (src/tags/segments/segments-api.types.ts), for /api/v1/openapi.json. */
const bool: JsonSchema = { type: 'boolean' };
const str: JsonSchema = { type: 'string' };
const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });
const time: JsonSchema = { type: 'string', format: 'date-time' };
const obj = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

/** A rule node; `items` / `item` hold nodes of the same shape (not spelled out: the document has no shared $defs). */
const node: JsonSchema = {
  type: 'object',
  description:
    'op all|any: { op, met, items: node[] }; op not: { op, met, item: node }; op condition: { op, met, condition (the rule condition), facts: { type, … the numbers compared: identities, subscriptions, lastPurchaseAt + daysSinceLastPurchase, orders, spentFen, events, tagName + groupName + sources, follows + staffName, groups (+ groupName for one chat), granted + withdrawn + lastAt (consent) } }',
  properties: {
    op: { enum: ['all', 'any', 'not', 'condition'] },
    met: bool,
    items: { type: 'array', items: { type: 'object' } },
    item: { type: 'object' },
    condition: { type: 'object' },
    facts: { type: 'object' },
  },
  required: ['op', 'met'],
};

export const explainQuery: QueryParameter[] = [
  {
    name: 'customerId',
    in: 'query',
    description: 'the customer to explain (a merged id leads to its survivor)',
    schema: { type: 'string', format: 'uuid' },
  },
];

export const segmentExplanationSchema: JsonSchema = obj({
  segmentId: str,
  segmentName: str,
  customerId: str,
  matches: { type: 'boolean', description: 'the rule holds for the customer now' },
  member: { type: 'boolean', description: 'the customer holds the segment tag from a run (rule assignment)' },
  evaluatedAt: time,
  rule: node,
});

export const customerSegmentsSchema: JsonSchema = obj({
  customerId: str,
  items: {
    type: 'array',
    description: 'segments whose rule holds for the customer now or whose tag a run gave them',
    items: obj({
      id: str,
      name: str,
      tagId: nullable(str),
      tagName: nullable(str),
      enabled: bool,
      lastRunAt: nullable(time),
      matches: bool,
      member: bool,
    }),
  },
});
