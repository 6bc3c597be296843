import { validationFailed } from '../http-error';

/** A body's `tagIds`: 1 to 100 catalog tag ids (numeric, as strings or numbers), or 400 VALIDATION_FAILED. */
export function tagIdsOf(body: unknown): string[] {
  const tagIds = (body as { tagIds?: unknown } | undefined)?.tagIds;
  if (
    !Array.isArray(tagIds) ||
    tagIds.length === 0 ||
    tagIds.length > 100 ||
    tagIds.some((t) => !(typeof t === 'string' || typeof t === 'number') || !/^\d{1,19}$/.test(String(t)))
  ) {
    throw validationFailed('tagIds must be an array of 1 to 100 tag ids');
  }
  return tagIds.map(String);
}
