import type { z } from 'zod';

/**
 * Parses a request body against its schema; a mismatch becomes the module's validation error (a 422) with every
 * problem named by its path, as `details.problems`.
 */
export function parseBodyWith<T extends z.ZodType>(
  schema: T,
  body: unknown,
  invalid: (message: string, details: { problems: { path: string; message: string }[] }) => Error,
): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw invalid(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '), { problems });
}
