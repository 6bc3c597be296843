/**
 * The segment builder's model of a rule (src/tags/segments/rule-types.ts): groups combine their items with
 * all / any and may be negated (`not`); a condition is the rule JSON's condition object as edited. Converting
 * back drops empty fields, so the JSON shown is what the API receives.
 */
export type ConditionType =
  | 'channel'
  | 'subscribed'
  | 'lastPurchase'
  | 'orders'
  | 'spend'
  | 'events'
  | 'tag'
  | 'followedBy'
  | 'group'
  | 'groupCount'
  | 'source'
  | 'attribute'
  | 'consent';
export const CONDITION_TYPES: readonly ConditionType[] = [
  'channel',
  'subscribed',
  'lastPurchase',
  'orders',
  'spend',
  'events',
  'tag',
  'followedBy',
  'group',
  'groupCount',
  'source',
  'attribute',
  'consent',
];

export interface CondNode {
  kind: 'cond';
  key: number;
  fields: Record<string, unknown> & { type: ConditionType };
}

export interface GroupNode {
  kind: 'group';
  key: number;
  op: 'all' | 'any';
  not: boolean;
  items: (CondNode | GroupNode)[];
}

let next = 1;
const key = () => next++;

export function newCondition(type: ConditionType): CondNode {
  const defaults: Record<ConditionType, Record<string, unknown>> = {
    channel: { channel: 'oa' },
    subscribed: {},
    lastPurchase: { withinDays: 30 },
    orders: { min: 1 },
    spend: { minFen: 10000 },
    events: { eventType: 'oa.message.*', withinDays: 30, min: 1 },
    tag: { tagId: '', has: true },
    followedBy: { staffUserid: '' },
    group: { chatId: '' },
    groupCount: { min: 1 },
    source: { channelId: '', withinDays: 7 },
    attribute: { key: '', op: 'exists' },
    consent: { purpose: 'marketing', granted: true },
  };
  return { kind: 'cond', key: key(), fields: { type, ...defaults[type] } };
}

/** The pick a condition cannot go without (rule-types.ts): left empty, the condition is not finished yet. */
const REQUIRED: Partial<Record<ConditionType, string>> = {
  events: 'eventType',
  tag: 'tagId',
  followedBy: 'staffUserid',
  attribute: 'key',
  consent: 'purpose',
};

/**
 * How many conditions still wait for their required pick (a tag row just added has no tag yet). The live count
 * and saving wait for them, so the operator sees what to choose rather than the API's 422 about the draft.
 */
export function unfinished(node: CondNode | GroupNode): number {
  if (node.kind === 'group') return node.items.reduce((n, item) => n + unfinished(item), 0);
  const fields = node.fields;
  if (fields.type === 'attribute' && fields.op !== 'exists') {
    const v = fields.value;
    const missing = (x: unknown) => x === undefined || x === null || x === '';
    if (missing(v) || (Array.isArray(v) && (v.length === 0 || v.some(missing)))) return 1;
  }
  const field = REQUIRED[node.fields.type];
  if (!field) return 0;
  const v = node.fields[field];
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? 1 : 0;
}

export function newGroup(op: 'all' | 'any' = 'all'): GroupNode {
  return { kind: 'group', key: key(), op, not: false, items: [] };
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function fromNode(r: unknown): CondNode | GroupNode {
  if (isObj(r) && 'not' in r) {
    const inner = fromNode(r.not);
    if (inner.kind === 'group' && !inner.not) return { ...inner, not: true };
    return { kind: 'group', key: key(), op: 'all', not: true, items: [inner] };
  }
  if (isObj(r) && (Array.isArray(r.all) || Array.isArray(r.any))) {
    const op = Array.isArray(r.all) ? 'all' : 'any';
    return { kind: 'group', key: key(), op, not: false, items: (r[op] as unknown[]).map(fromNode) };
  }
  if (isObj(r) && typeof r.type === 'string' && (CONDITION_TYPES as readonly string[]).includes(r.type)) {
    return { kind: 'cond', key: key(), fields: { ...r, type: r.type as ConditionType } };
  }
  throw new Error(`not a rule: ${JSON.stringify(r)}`);
}

/** A rule JSON as a root group (a bare condition becomes a group of one). */
export function fromRule(rule: unknown): GroupNode {
  const node = fromNode(rule);
  return node.kind === 'group' ? node : { kind: 'group', key: key(), op: 'all', not: false, items: [node] };
}

function clean(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== null && v !== undefined && v !== '') out[k] = v;
  return out;
}

export function toRule(node: CondNode | GroupNode): unknown {
  if (node.kind === 'cond') return clean(node.fields);
  // A negated group of one is that item negated (the combinator of a single item means nothing).
  const [only] = node.items;
  if (node.not && only && node.items.length === 1) return { not: toRule(only) };
  const body = { [node.op]: node.items.map(toRule) };
  return node.not ? { not: body } : body;
}
