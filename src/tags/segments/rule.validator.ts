import { z } from 'zod';
import { ATTRIBUTE_KEY } from '../../attributes/attribute-input.schema';
import { ATTRIBUTE_OPS, CONDITION_TYPES, type Condition, type Rule } from './rule-types';

const MAX_DEPTH = 6;
const MAX_CONDITIONS = 50;
const days = z.number().int().min(1).max(36_500);
const count = z.number().int().min(0).max(1_000_000_000);
const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const id = z.union([z.string().regex(/^\d{1,19}$/), z.number().int().positive()]).transform(String);
const key = z.string().min(1).max(64);

/** A consent purpose (DESIGN §12): `marketing`, `subscribe_msg:<templateId>` or a brand's own; printable text. */
const purpose = z
  .string()
  .trim()
  .min(1, 'purpose must not be empty')
  .max(128)
  .regex(/^\P{Cc}*$/u, 'purpose must not contain control characters');

const operand = z.union([z.string().min(1).max(500), z.number().finite(), z.boolean()]);

/** The value an operator needs: none for exists, a [min, max] pair for between, a list for in, else one value. */
const attribute = z
  .object({
    type: z.literal('attribute'),
    key: z.string().regex(ATTRIBUTE_KEY, 'key names an attribute'),
    op: z.enum(ATTRIBUTE_OPS),
    value: z.union([operand, z.array(operand).min(1).max(100)]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const list = Array.isArray(c.value);
    const problem =
      c.op === 'exists'
        ? c.value !== undefined && 'exists takes no value'
        : c.op === 'between'
          ? !(list && (c.value as unknown[]).length === 2) && 'between takes [min, max]'
          : c.op === 'in'
            ? !list && 'in takes a list of values'
            : (c.value === undefined || list) && `${c.op} takes one value`;
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

const conditionSchemas: Record<(typeof CONDITION_TYPES)[number], z.ZodType<Condition>> = {
  channel: z
    .object({ type: z.literal('channel'), channel: z.enum(['oa', 'mp', 'h5', 'wecom']), account: key.optional() })
    .strict(),
  subscribed: z.object({ type: z.literal('subscribed'), appId: key.optional() }).strict(),
  lastPurchase: z
    .object({ type: z.literal('lastPurchase'), withinDays: days.optional(), olderThanDays: days.optional() })
    .strict()
    .refine((c) => c.withinDays !== undefined || c.olderThanDays !== undefined, 'give withinDays and/or olderThanDays'),
  orders: z
    .object({ type: z.literal('orders'), min: count.optional(), max: count.optional(), withinDays: days.optional() })
    .strict()
    .refine((c) => c.min !== undefined || c.max !== undefined, 'give min and/or max')
    .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, 'min must not exceed max'),
  spend: z
    .object({ type: z.literal('spend'), minFen: fen.optional(), maxFen: fen.optional(), withinDays: days.optional() })
    .strict()
    .refine((c) => c.minFen !== undefined || c.maxFen !== undefined, 'give minFen and/or maxFen')
    .refine(
      (c) => c.minFen === undefined || c.maxFen === undefined || c.minFen <= c.maxFen,
      'minFen must not exceed maxFen',
    ),
  events: z
    .object({
      type: z.literal('events'),
      eventType: z
        .string()
        .regex(/^[\w.:-]{1,63}\*?$/, 'eventType is a timeline type such as oa.subscribe, optionally ending in *'),
      withinDays: days,
      min: count.optional(),
      max: count.optional(),
    })
    .strict()
    .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, 'min must not exceed max'),
  tag: z.object({ type: z.literal('tag'), tagId: id, has: z.boolean().optional() }).strict(),
  followedBy: z.object({ type: z.literal('followedBy'), staffUserid: key, corpId: key.optional() }).strict(),
  group: z
    .object({
      type: z.literal('group'),
      chatId: key.optional(),
      corpId: key.optional(),
      joinedWithinDays: days.optional(),
    })
    .strict(),
  groupCount: z
    .object({ type: z.literal('groupCount'), min: count.optional(), max: count.optional() })
    .strict()
    .refine((c) => c.min !== undefined || c.max !== undefined, 'give min and/or max')
    .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, 'min must not exceed max'),
  source: z
    .object({
      type: z.literal('source'),
      channelId: id,
      first: z.literal(true).optional(),
      withinDays: days.optional(),
    })
    .strict(),
  attribute,
  consent: z.object({ type: z.literal('consent'), purpose, granted: z.boolean().optional() }).strict(),
};

export interface RuleProblem {
  path: string;
  message: string;
}

/** A `source` condition's channel, with the path that names it (the service checks the channel exists). */
export interface RuleChannelRef {
  channelId: string;
  path: string;
}

/** An `attribute` condition, with the path that names it (the service checks it against the definition). */
export interface RuleAttributeRef {
  condition: Extract<Condition, { type: 'attribute' }>;
  path: string;
}

/** Validates rule JSON; every problem comes back with its path (`rule.all[1].any[0].min`). */
export function validateRule(input: unknown): {
  rule?: Rule;
  problems: RuleProblem[];
  tagIds: string[];
  channels: RuleChannelRef[];
  attributes: RuleAttributeRef[];
} {
  const problems: RuleProblem[] = [];
  const tagIds: string[] = [];
  const channels: RuleChannelRef[] = [];
  const attributes: RuleAttributeRef[] = [];
  let conditions = 0;

  const walk = (node: unknown, path: string, depth: number): Rule | undefined => {
    if (depth > MAX_DEPTH) return void problems.push({ path, message: `rules nest at most ${MAX_DEPTH} levels` });
    if (typeof node !== 'object' || node === null || Array.isArray(node))
      return void problems.push({
        path,
        message: 'expected an object: a condition, or { all: [...] } / { any: [...] } / { not: {...} }',
      });
    const o = node as Record<string, unknown>;
    for (const op of ['all', 'any'] as const) {
      if (!(op in o)) continue;
      if (Object.keys(o).length !== 1)
        return void problems.push({ path, message: `"${op}" must be the only key of its object` });
      const list = o[op];
      if (!Array.isArray(list) || list.length === 0)
        return void problems.push({ path: `${path}.${op}`, message: 'expected a non-empty array of rules' });
      const items = list.map((child, i) => walk(child, `${path}.${op}[${i}]`, depth + 1));
      return items.every((x): x is Rule => !!x) ? ({ [op]: items } as Rule) : undefined;
    }
    if ('not' in o) {
      if (Object.keys(o).length !== 1)
        return void problems.push({ path, message: '"not" must be the only key of its object' });
      const inner = walk(o.not, `${path}.not`, depth + 1);
      return inner ? { not: inner } : undefined;
    }
    const type = o.type;
    if (typeof type !== 'string' || !(CONDITION_TYPES as readonly string[]).includes(type)) {
      return void problems.push({
        path: `${path}.type`,
        message: `unknown condition type ${JSON.stringify(type)}; expected all, any, not or one of ${CONDITION_TYPES.join(', ')}`,
      });
    }
    if (++conditions > MAX_CONDITIONS)
      return void problems.push({ path, message: `a rule has at most ${MAX_CONDITIONS} conditions` });
    const r = conditionSchemas[type as (typeof CONDITION_TYPES)[number]].safeParse(o);
    if (!r.success) {
      for (const issue of r.error.issues)
        problems.push({ path: [path, ...issue.path.map(String)].join('.'), message: issue.message });
      return undefined;
    }
    if (r.data.type === 'tag') tagIds.push(r.data.tagId);
    if (r.data.type === 'source') channels.push({ channelId: r.data.channelId, path: `${path}.channelId` });
    if (r.data.type === 'attribute') attributes.push({ condition: r.data, path });
    return r.data;
  };

  const rule = walk(input, 'rule', 1);
  return problems.length === 0 && rule
    ? { rule, problems, tagIds, channels, attributes }
    : { problems, tagIds, channels, attributes };
}
