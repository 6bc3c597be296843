import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type CallbackFields, type CallbackValue, FORBIDDEN_KEYS, malformed } from './callback-fields';

/**
 * Safe parsing of WeChat callback XML (wechat-api.md §4.3, §5.9; DESIGN §7: never expand entities or DTDs).
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
 *
 * - Any markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, …) outside CDATA is refused before the parser
 *   sees the text, so no entity can be declared; the parser itself runs with entity processing off.
 * - The five predefined entities and numeric character references in plain text are decoded here (they are
 *   escapes, not expansions); CDATA is returned verbatim.
 * - Every value stays a string: MsgIds are 64-bit and must not pass through a JS number.
 * - The document must be a single `<xml>…</xml>` element.
 */
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
});

/** Refuses markup declarations anywhere outside CDATA sections and comments. */
export function assertNoDeclarations(xml: string): void {
  let i = xml.indexOf('<!');
  while (i !== -1) {
    if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i + 9);
      if (end === -1) throw malformed('unterminated CDATA section');
      i = xml.indexOf('<!', end + 3);
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) throw malformed('unterminated comment');
      i = xml.indexOf('<!', end + 3);
    } else {
      throw malformed('DTD and entity declarations are not accepted');
    }
  }
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

function toValue(node: unknown): CallbackValue {
  if (typeof node === 'string') return decodeText(node);
  if (Array.isArray(node)) return node.map(toValue);
  if (node === null || typeof node !== 'object') return '';
  const entries = Object.entries(node as Record<string, unknown>);
  const elements = entries.filter(([k]) => k !== CDATA && k !== TEXT);
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
