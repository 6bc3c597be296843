import { z } from 'zod';
import { tagInvalid } from '../tag-errors';

const id = z.union([z.string().regex(/^\d{1,19}$/), z.number().int().positive()]).transform(String);
/** OA tag names are ≤ 30 bytes (45158), WeCom corp tag and group names ≤ 30 characters (40072): wechat-api.md §3, §5.5. */
const oaName = z
  .string()
  .trim()
  .min(1)
  .refine((s) => Buffer.byteLength(s, 'utf8') <= 30, 'OA tag names are at most 30 bytes (UTF-8)');
const wecomName = z
  .string()
  .trim()
  .min(1)
  .refine((s) => [...s].length <= 30, 'WeCom tag and group names are at most 30 characters');

export const bindingInput = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('oa'), appId: z.string().min(1).max(64), name: oaName.optional() }).strict(),
  z
    .object({
      channel: z.literal('wecom'),
      corpId: z.string().min(1).max(64),
      groupName: wecomName.optional(),
      name: wecomName.optional(),
    })
    .strict(),
]);

export const createTagInput = z
  .object({
    name: z.string().trim().min(1).max(64),
    groupId: id.nullable().optional(),
    description: z.string().max(255).nullable().optional(),
    bindings: z.array(bindingInput).max(20).optional(),
  })
  .strict();

export const updateTagInput = createTagInput.partial().strict();

export const groupInput = z.object({ name: z.string().trim().min(1).max(64) }).strict();

export type BindingInput = z.infer<typeof bindingInput>;
export type CreateTagInput = z.infer<typeof createTagInput>;
export type UpdateTagInput = z.infer<typeof updateTagInput>;

/** Parses a request body; a mismatch is a 422 listing every problem with its path. */
export function parseInput<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw tagInvalid(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '), { problems });
}
