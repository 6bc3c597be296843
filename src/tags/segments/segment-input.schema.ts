import { validate as validCron } from 'node-cron';
import { z } from 'zod';
import { tagInvalid } from '../tag-errors';
import { type RuleChannelRef, type RuleAttributeRef, validateRule } from './rule.validator';
import type { Rule } from './rule-types';

const NOT_A_TAG_ID = 'not a tag id (digits, as a string or a number)';
// Every branch names the fault: zod's own words ("Invalid input", a regex) name neither the field's meaning nor the fix.
const id = z
  .union(
    [
      z.string().regex(/^\d{1,19}$/, { error: NOT_A_TAG_ID }),
      z.number().int({ error: NOT_A_TAG_ID }).positive({ error: NOT_A_TAG_ID }),
    ],
    { error: (iss) => (iss.input === undefined ? 'required: the id of the tag the members get' : NOT_A_TAG_ID) },
  )
  .transform(String);

/** `schedule`: a node-cron expression (5 fields, or 6 with seconds), e.g. `0 3 * * *`; null = on demand only. */
const schedule = z
  .string()
  .trim()
  .max(64)
  .refine((s) => validCron(s), 'not a valid cron expression (e.g. "0 3 * * *")')
  .nullable();

const base = z
  .object({
    name: z.string().trim().min(1).max(128),
    tagId: id,
    rule: z.unknown(),
    schedule: schedule.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export interface SegmentInput {
  name: string;
  tagId: string;
  rule: Rule;
  schedule?: string | null;
  enabled?: boolean;
  ruleTagIds: string[];
  /** The rule's `source` channels with their paths, checked against the channels by the service. */
  ruleChannels: RuleChannelRef[];
  /** The rule's `attribute` conditions with their paths, checked against the definitions by the service. */
  ruleAttributes: RuleAttributeRef[];
}

/** Parses a segment body; rule problems come back with their paths in one 422 (`details.problems`). */
export function parseSegmentInput(body: unknown, partial: false): SegmentInput;
export function parseSegmentInput(body: unknown, partial: true): Partial<SegmentInput>;
export function parseSegmentInput(body: unknown, partial: boolean): Partial<SegmentInput> {
  const r = (partial ? base.partial() : base).safeParse(body ?? {});
  const problems = r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  let rule: Rule | undefined;
  let ruleTagIds: string[] = [];
  let ruleChannels: RuleChannelRef[] = [];
  let ruleAttributes: RuleAttributeRef[] = [];
  if ('rule' in raw || !partial) {
    const v = validateRule(raw.rule);
    problems.push(...v.problems);
    rule = v.rule;
    ruleTagIds = v.tagIds;
    ruleChannels = v.channels;
    ruleAttributes = v.attributes;
  }
  if (problems.length > 0 || !r.success) {
    throw tagInvalid(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '), { problems });
  }
  const { rule: _ignored, ...rest } = r.data;
  return { ...rest, ...(rule ? { rule } : {}), ruleTagIds, ruleChannels, ruleAttributes };
}
