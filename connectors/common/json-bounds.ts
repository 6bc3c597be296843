/**
 * Bounds checked on the raw text of a JSON body before anything parses or walks it (DESIGN §7: hostile input
 * gets a 4xx, never a 5xx). JSON.parse itself is iterative in V8, but every recursive walk after it (our own
 * converters, JSON.stringify, validators) overflows the stack on deep input, and the number-quoting regex of
 * the Mini Program reader backtracks quadratically on an unterminated string. One linear scan with an explicit
 * stack settles all of it: nesting depth, members per object or array, string literal length, terminated
 * strings and duplicated keys (JSON.parse keeps the last silently; which one a signer meant is ambiguous).
 */
export interface JsonLimits {
  maxDepth: number;
  /** Members of one object or elements of one array. */
  maxMembers: number;
  /** Characters of one string literal as written (escapes counted as written). */
  maxStringChars: number;
}

/** maxMembers sits above the admin API's largest list (10,000 ids inline), which answers its own 422 past it. */
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 64, maxMembers: 20_000, maxStringChars: 256 * 1024 };

export type JsonBoundsReason = 'depth' | 'members' | 'string' | 'unterminated' | 'duplicate-key';

export class JsonBoundsError extends Error {
  constructor(
    readonly reason: JsonBoundsReason,
    message: string,
  ) {
    super(message);
    this.name = 'JsonBoundsError';
  }

  /** 413 for size bounds (too many members, too long a string), 400 for the shape. */
  get status(): 400 | 413 {
    return this.reason === 'members' || this.reason === 'string' ? 413 : 400;
  }
}

interface Frame {
  object: boolean;
  members: number;
  keys: Set<string> | undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Throws JsonBoundsError when `text` breaks a limit; says nothing about other syntax (JSON.parse does). */
export function assertJsonBounds(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): void {
  const stack: Frame[] = [];
  let lastString = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i + 1;
      let escaped = false;
      i = start;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          escaped = true;
          i++;
        }
        i++;
      }
      if (i >= text.length) throw new JsonBoundsError('unterminated', 'a string is not terminated');
      if (i - start > limits.maxStringChars)
        throw new JsonBoundsError('string', `a string is longer than ${limits.maxStringChars} characters`);
      lastString = escaped ? decodeKey(text.slice(start - 1, i + 1)) : text.slice(start, i);
      continue;
    }
    switch (c) {
      case 0x7b: // {
      case 0x5b: // [
        if (stack.length >= limits.maxDepth)
          throw new JsonBoundsError('depth', `JSON nests deeper than ${limits.maxDepth} levels`);
        stack.push({ object: c === 0x7b, members: 0, keys: undefined });
        break;
      case 0x7d: // }
      case 0x5d: // ]
        stack.pop();
        break;
      case 0x2c: // ,
        countMember(stack[stack.length - 1], limits);
        break;
      case 0x3a: {
        // : — the string just read was a key of the innermost object
        const top = stack[stack.length - 1];
        if (top?.object) {
          top.keys ??= new Set();
          if (top.keys.has(lastString))
            throw new JsonBoundsError(
              'duplicate-key',
              `key ${JSON.stringify(lastString.slice(0, 64))} appears twice in one object`,
            );
          top.keys.add(lastString);
        }
        break;
      }
      default:
        break;
    }
  }
}

function countMember(top: Frame | undefined, limits: JsonLimits): void {
  if (!top) return;
  top.members += 1;
  if (top.members >= limits.maxMembers)
    throw new JsonBoundsError('members', `an object or array has more than ${limits.maxMembers} members`);
}

/** A key literal with escapes, decoded so `"a"` and `"\u0061"` count as the same key. */
function decodeKey(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal;
  }
}

/** assertJsonBounds, then JSON.parse (which may still throw SyntaxError). */
export function parseBoundedJson(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): unknown {
  assertJsonBounds(text, limits);
  return JSON.parse(text) as unknown;
}
