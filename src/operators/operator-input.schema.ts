import { z } from 'zod';
import { ROLES } from '../auth/roles';
import { OperatorError } from './operator.errors';

const role = z.enum(ROLES);
const name = z.string().trim().min(1).max(128);

/** A WeCom member by corp and userid, or a local account by login and password (DESIGN §7.1). */
export const newOperatorInput = z.union([
  z
    .object({
      corpId: z.string().min(1).max(64),
      userid: z.string().min(1).max(64),
      name: name.optional(),
      role,
    })
    .strict(),
  z
    .object({
      login: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'a login is 1 to 64 letters, digits or . _ @ -'),
      password: z.string().min(10, 'a password has at least 10 characters').max(256),
      name: name.optional(),
      role,
    })
    .strict(),
]);

export const operatorChangeInput = z
  .object({
    name: name.optional(),
    role: role.optional(),
    enabled: z.boolean().optional(),
    password: z.string().min(10, 'a password has at least 10 characters').max(256).optional(),
  })
  .strict();

export type NewOperatorInput = z.infer<typeof newOperatorInput>;
export type OperatorChangeInput = z.infer<typeof operatorChangeInput>;

export function parseOperatorInput<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw new OperatorError(
    'VALIDATION_FAILED',
    r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    r.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
  );
}
