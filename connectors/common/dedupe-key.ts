import { createHash } from 'crypto';

/**
 * Inbox dedupe keys (DESIGN §6): a fixed prefix naming channel and account, then every field that tells two
 * distinct callbacks apart. WeChat's retries repeat the payload byte for byte, so they map to the same key;
 * distinct events in the same second differ in at least one listed field.
 *
 * Parts are escaped (`%` and `:`) so a VIEW URL cannot make two different part lists collide, and a key
 * longer than MAX_DEDUPE_KEY_LENGTH keeps its prefix and replaces the parts by their SHA-256, so the core can
 * index the column as VARCHAR(191) on MySQL utf8mb4.
 */
export const MAX_DEDUPE_KEY_LENGTH = 191;

function escapePart(p: string): string {
  return p.replace(/%/g, '%25').replace(/:/g, '%3A');
}

export function dedupeKey(prefix: readonly string[], parts: readonly (string | undefined)[]): string {
  const head = prefix.map(escapePart).join(':');
  const tail = parts.map((p) => escapePart(p ?? '')).join(':');
  const key = `${head}:${tail}`;
  if (key.length <= MAX_DEDUPE_KEY_LENGTH) return key;
  return `${head}:sha256:${createHash('sha256').update(tail, 'utf8').digest('hex')}`;
}

/** For payloads with no documented identifying fields: the hash of the verified plaintext itself. */
export function contentDedupeKey(prefix: readonly string[], plaintext: string): string {
  return `${prefix.map(escapePart).join(':')}:raw:${createHash('sha256').update(plaintext, 'utf8').digest('hex')}`;
}

/** The inbox `kind` column's size (VARCHAR(64)). */
export const MAX_KIND_LENGTH = 64;

/** An inbox kind from its parts, cut to MAX_KIND_LENGTH with a digest of the whole so long kinds stay distinct. */
export function inboxKind(...parts: string[]): string {
  const kind = parts.join('.');
  if (kind.length <= MAX_KIND_LENGTH) return kind;
  const digest = createHash('sha256').update(kind, 'utf8').digest('hex').slice(0, 12);
  return `${kind.slice(0, MAX_KIND_LENGTH - digest.length - 1)}~${digest}`;
}
