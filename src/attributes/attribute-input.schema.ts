import { z } from 'zod';
import { attributeInvalid, type FieldProblem } from './attribute.errors';

/**
 * An attribute key: letters of any script, digits, `_`, `-` and `.`, at most 64 characters — it names the field
 * in `PATCH /customers/:id/attributes` bodies, in segment conditions and in import mappings (`attribute.<key>`).
 */
export const ATTRIBUTE_KEY = /^[\p{L}\p{N}_][\p{L}\p{N}_.-]{0,63}$/u;
export const ATTRIBUTE_TYPES = ['text', 'number', 'date', 'bool', 'enum', 'multiEnum'] as const;
export const MAX_OPTIONS = 200;

const labelText = z.string().trim().min(1).max(128);
/** An option is stored inside the JSON of a multiEnum value and matched in SQL by `"option"`: no quotes or `\`. */
const option = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(
    (s) => ![...s].some((ch) => ch === '"' || ch === '\\' || ch.charCodeAt(0) < 0x20),
    'an option may not contain quotes, backslashes or control characters',
  );
const options = z
  .array(option)
  .min(1)
  .max(MAX_OPTIONS)
  .refine((o) => new Set(o).size === o.length, 'options must be distinct');
const editableBy = z.array(z.enum(['operator', 'staff'])).max(2);

/** `POST /api/v1/attributes` (DESIGN §13). */
export const createAttributeInput = z
  .object({
    key: z.string().regex(ATTRIBUTE_KEY, 'key: letters, digits, _ - . (at most 64)'),
    label: z.object({ 'zh-CN': labelText, en: labelText }).strict(),
    type: z.enum(ATTRIBUTE_TYPES),
    options: options.optional(),
    pii: z.boolean().optional(),
    editableBy: editableBy.optional(),
  })
  .strict();

/** `PATCH /api/v1/attributes/:key`: the key and type are fixed once values may exist. */
export const updateAttributeInput = z
  .object({
    label: z.object({ 'zh-CN': labelText.optional(), en: labelText.optional() }).strict().optional(),
    options: options.optional(),
    pii: z.boolean().optional(),
    editableBy: editableBy.optional(),
  })
  .strict();

export type CreateAttributeInput = z.infer<typeof createAttributeInput>;
export type UpdateAttributeInput = z.infer<typeof updateAttributeInput>;

/** Parses a request body; a mismatch is a 422 naming every bad field (`more`: problems found beside the schema). */
export function parseAttributeInput<T extends z.ZodType>(
  schema: T,
  body: unknown,
  more: FieldProblem[] = [],
): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  const problems = r.success
    ? []
    : r.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }));
  problems.push(...more);
  if (problems.length || !r.success) throw attributeInvalid(problems);
  return r.data;
}

/**
 * `POST /api/v1/attributes`: enums need options and other types have none — checked beside the schema, not in a
 * refinement, so it is named even when other fields are wrong too.
 */
export function parseCreateAttribute(body: unknown): CreateAttributeInput {
  const { type, options } = (body ?? {}) as { type?: unknown; options?: unknown };
  const enumish = type === 'enum' || type === 'multiEnum';
  const more: FieldProblem[] = [];
  if (enumish && options === undefined) more.push({ field: 'options', message: `a ${String(type)} needs its options` });
  if (typeof type === 'string' && !enumish && options !== undefined)
    more.push({ field: 'options', message: `a ${type} has no options` });
  return parseAttributeInput(createAttributeInput, body, more);
}
