import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type CallbackFields, type CallbackValue, FORBIDDEN_KEYS, malformed } from './callback-fields';
import { parseFlatXml } from './flat-xml';
import { DEFAULT_JSON_LIMITS } from './json-bounds';
import { WebhookRejection } from './webhook-types';

/**
 * Safe parsing of WeChat callback XML (wechat-api.md §4.3, §5.9; DESIGN §7: never expand entities or DTDs).
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
 *
 * - Any markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, …) or processing instruction other than a
 *   leading `<?xml …?>` outside CDATA is refused before the parser sees the text, so no entity can be declared;
 *   the parser itself runs with entity processing off.
 * - WeChat's flat pushes are read by parseFlatXml (flat-xml.ts) first; it declines anything it does not fully
 *   understand, and those documents take the checked path here.
 * - The five predefined entities and numeric character references in plain text are decoded here (they are
 *   escapes, not expansions); CDATA is returned verbatim.
 * - Every value stays a string: MsgIds are 64-bit and must not pass through a JS number.
 * - The document must be a single `<xml>…</xml>` element, nested at most MAX_XML_DEPTH deep (WeChat's pushes
 *   nest three or four levels), so the recursive toValue below stays shallow.
 */
export const MAX_XML_DEPTH = 32;
/** Child elements of one element, repeated ones included (the same bound as JSON members, json-bounds.ts). */
export const MAX_XML_CHILDREN = DEFAULT_JSON_LIMITS.maxMembers;
const CDATA = '#cdata';
const TEXT = '#text';

const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  cdataPropName: CDATA,
  textNodeName: TEXT,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH,
});

/** `<?xml` followed by whitespace at offset 0: the only processing instruction a callback may carry. */
function isLeadingDeclaration(xml: string, i: number): boolean {
  return i === 0 && xml.startsWith('<?xml', 0) && /\s/.test(xml.charAt(5));
}

/**
 * Refuses markup declarations (`<!DOCTYPE`, `<!ENTITY`, …) and processing instructions (`<?xml-stylesheet`,
 * `<?php`, …) anywhere outside CDATA sections and comments; only a leading `<?xml …?>` declaration passes.
 */
export function assertNoDeclarations(xml: string): void {
  let i = nextMarkup(xml, 0);
  while (i !== -1) {
    if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i + 9);
      if (end === -1) throw malformed('unterminated CDATA section');
      i = nextMarkup(xml, end + 3);
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) throw malformed('unterminated comment');
      i = nextMarkup(xml, end + 3);
    } else if (isLeadingDeclaration(xml, i)) {
      const end = xml.indexOf('?>', i + 5);
      if (end === -1) throw malformed('unterminated XML declaration');
      i = nextMarkup(xml, end + 2);
    } else if (xml.charCodeAt(i + 1) === 0x3f) {
      throw malformed('processing instructions are not accepted');
    } else {
      throw malformed('DTD and entity declarations are not accepted');
    }
  }
}

/** The next `<!` or `<?` at or after `from`, or -1. */
function nextMarkup(xml: string, from: number): number {
  let i = xml.indexOf('<', from);
  while (i !== -1) {
    const c = xml.charCodeAt(i + 1);
    if (c === 0x21 || c === 0x3f) return i;
    i = xml.indexOf('<', i + 1);
  }
  return -1;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function joinParts(v: unknown, decode: boolean): string {
  const parts = Array.isArray(v) ? v : [v];
  return parts.map((p) => (typeof p === 'string' ? (decode ? decodeText(p) : p) : '')).join('');
}

function tooManyChildren(): WebhookRejection {
  return new WebhookRejection(413, 'PAYLOAD_TOO_LARGE', `an element has more than ${MAX_XML_CHILDREN} child elements`);
}

/** Recursive, but the parser has already refused nesting past MAX_XML_DEPTH. */
function toValue(node: unknown): CallbackValue {
  if (typeof node === 'string') return decodeText(node);
  if (Array.isArray(node)) {
    if (node.length > MAX_XML_CHILDREN) throw tooManyChildren();
    return node.map(toValue);
  }
  if (node === null || typeof node !== 'object') return '';
  const entries = Object.entries(node as Record<string, unknown>);
  const elements = entries.filter(([k]) => k !== CDATA && k !== TEXT);
  if (elements.length > MAX_XML_CHILDREN) throw tooManyChildren();
  if (elements.length === 0) {
    const rec = node as Record<string, unknown>;
    return joinParts(rec[TEXT], true) + joinParts(rec[CDATA], false);
  }
  const out: CallbackFields = {};
  for (const [k, v] of elements) {
    if (FORBIDDEN_KEYS.has(k)) throw malformed(`element name ${k} is not accepted`);
    out[k] = toValue(v);
  }
  return out;
}

/** Parses a callback body `<xml>…</xml>` into its fields; throws WebhookRejection 400 MALFORMED otherwise. */
export function parseCallbackXml(xml: string): CallbackFields {
  // WeChat's flat pushes take the single-pass reader (~0.7 µs instead of ~20 µs); everything else, including
  // every document it declines, is checked and parsed below.
  return parseFlatXml(xml) ?? parseCheckedXml(xml);
}

/** The validating parser alone: any `<xml>` document, nested and repeated elements included. */
export function parseCheckedXml(xml: string): CallbackFields {
  assertNoDeclarations(xml);
  if (XMLValidator.validate(xml) !== true) throw malformed('body is not well-formed XML');
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch {
    throw malformed('body is not well-formed XML');
  }
  const keys = Object.keys(doc);
  if (keys.length !== 1 || keys[0] !== 'xml') throw malformed('body must be a single <xml> element');
  const root = toValue(doc.xml);
  if (root === '') return {};
  if (typeof root !== 'object' || Array.isArray(root)) throw malformed('body must be a single <xml> element');
  return root;
}

/** A leaf of a reply: strings go into CDATA, numbers are written bare (as WeChat writes CreateTime). */
export type XmlReplyValue = string | number;

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function cdata(s: string): string {
  return `<![CDATA[${s.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** Builds `<xml>…</xml>` for passive replies and test callbacks; nested objects become nested elements. */
export function buildXml(fields: Record<string, XmlReplyValue | Record<string, XmlReplyValue>>): string {
  return `<xml>${buildChildren(fields)}</xml>`;
}

function buildChildren(fields: Record<string, XmlReplyValue | Record<string, XmlReplyValue>>): string {
  let out = '';
  for (const [name, value] of Object.entries(fields)) {
    if (!NAME.test(name)) throw new TypeError(`invalid XML element name: ${name}`);
    const inner =
      typeof value === 'number' ? String(value) : typeof value === 'string' ? cdata(value) : buildChildren(value);
    out += `<${name}>${inner}</${name}>`;
  }
  return out;
}
