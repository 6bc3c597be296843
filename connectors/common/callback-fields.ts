import { isUtf8 } from 'buffer';
import { WebhookRejection } from './webhook-types';

/**
 * A parsed callback body, XML or JSON alike: every leaf is a string (never a number, so 64-bit MsgIds and
 * leading zeros survive), repeated elements are arrays, nested elements are objects.
 */
export type CallbackValue = string | CallbackFields | CallbackValue[];
export interface CallbackFields {
  [name: string]: CallbackValue;
}

/** Keys that would reach Object.prototype if copied naively; no WeChat payload uses them. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function malformed(message: string): WebhookRejection {
  return new WebhookRejection(400, 'MALFORMED', message);
}

/**
 * A callback body as text. WeChat sends UTF-8 only; invalid bytes are refused rather than silently replaced,
 * so what is stored is exactly what was signed.
 */
export function bodyText(rawBody: Buffer): string {
  if (!isUtf8(rawBody)) throw malformed('body is not valid UTF-8');
  return rawBody.toString('utf8');
}

/**
 * The string value of a field, or undefined when absent or not a leaf. A field given twice is refused: the
 * fields read by name are WeChat's single-valued envelope fields, and picking one copy would let a body say
 * two things at once (the parsers turn repeated elements into arrays).
 */
export function text(fields: CallbackFields, name: string): string | undefined {
  const v = fields[name];
  if (Array.isArray(v)) throw malformed(`${name} appears more than once`);
  return typeof v === 'string' ? v : undefined;
}

/** WeChat's type names (MsgType, Event, ChangeType) are short ASCII words; they become inbox kinds. */
const TYPE_NAME = /^[A-Za-z0-9_.-]{1,48}$/;

/** A required type name field, else 400 MALFORMED. */
export function typeName(fields: CallbackFields, name: string): string {
  const v = requiredText(fields, name);
  if (!TYPE_NAME.test(v)) throw malformed(`${name} is not a WeChat type name`);
  return v;
}

/** An optional type name field (absent or empty → undefined), else 400 MALFORMED. */
export function optionalTypeName(fields: CallbackFields, name: string): string | undefined {
  const v = optionalText(fields, name);
  if (v !== undefined && !TYPE_NAME.test(v)) throw malformed(`${name} is not a WeChat type name`);
  return v;
}

/** openid, unionid, external_userid, userid: at most 64 visible characters (the identity columns' size). */
const IDENTIFIER = /^[\x21-\x7e]{1,64}$/;

/** A required identifier field, else 400 MALFORMED. */
export function identifier(fields: CallbackFields, name: string): string {
  const v = requiredText(fields, name);
  if (!IDENTIFIER.test(v)) throw malformed(`${name} is not a WeChat identifier`);
  return v;
}

/** A non-empty string field, else 400 MALFORMED (WeChat always sends it). */
export function requiredText(fields: CallbackFields, name: string): string {
  const v = text(fields, name);
  if (v === undefined || v === '') throw malformed(`missing ${name}`);
  return v;
}

/** A string field, trimmed to undefined when empty (WeChat sends empty elements for absent values). */
export function optionalText(fields: CallbackFields, name: string): string | undefined {
  const v = text(fields, name);
  return v === undefined || v === '' ? undefined : v;
}

/** `CreateTime` (Unix seconds) as ISO-8601; 400 when missing or not an integer. */
export function createTimeIso(fields: CallbackFields): { seconds: string; iso: string } {
  const seconds = requiredText(fields, 'CreateTime');
  // Ten digits reach the year 2286; more would not fit the databases' DATETIME columns.
  if (!/^\d{1,10}$/.test(seconds)) throw malformed('CreateTime is not a Unix timestamp');
  return { seconds, iso: new Date(Number(seconds) * 1000).toISOString() };
}

/** Every string leaf except the named ones (message extras such as MediaId, PicUrl, Location_X). */
export function stringFieldsExcept(fields: CallbackFields, omit: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string' && !omit.has(k)) out[k] = v;
  }
  return out;
}

/** Every field except the named ones, nested values kept (behaviour properties). */
export function fieldsExcept(fields: CallbackFields, omit: ReadonlySet<string>): Record<string, CallbackValue> {
  const out: Record<string, CallbackValue> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (!omit.has(k)) out[k] = v;
  }
  return out;
}
