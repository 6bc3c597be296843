/**
 * Merge and conflict evidence is stored as free JSON (DESIGN §4); the API answers carry a field of it only when
 * it holds a string, so an odd row reads as null instead of breaking the typed answer.
 */
export function evidenceString(evidence: Record<string, unknown> | null, key: string): string | null {
  const v = evidence?.[key];
  return typeof v === 'string' ? v : null;
}
