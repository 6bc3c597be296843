import { type CallbackFields, FORBIDDEN_KEYS } from './callback-fields';

/**
 * A strict single-pass reader for the flat shape WeChat sends on every push (wechat-api.md §4.2–4.3):
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
 *
 *   [<?xml …?>] <xml> ( <Tag><![CDATA[…]]>…</Tag> | <Tag>text</Tag> | <Tag/> )* </xml>
 *
 * It answers only for documents it fully understands and returns undefined for anything else, so the caller
 * falls back to the full validating parser, which rejects or handles the rest (nested or repeated elements,
 * comments, attributes, mixed content). Its security follows from that: it never sees a DTD, entity
 * declaration or processing instruction it would accept (any `<!` outside CDATA and any `<?` after the leading
 * declaration ends the fast path), and it decodes nothing — plain text containing `&` also goes to the full
 * parser, which decodes only the five predefined escapes and numeric references. Results are identical to
 * the full parser's for every document it accepts: values are strings, CDATA verbatim, plain text trimmed.
 */
const CDATA_OPEN = '<![CDATA[';
const MAX_FLAT_FIELDS = 1000;
const CDATA_CLOSE = ']]>';

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

function isNameChar(c: number, first: boolean): boolean {
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f) return true;
  return !first && ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d);
}

/** End index of the element name starting at i (i itself when there is none). */
function readName(s: string, i: number): number {
  let j = i;
  while (j < s.length && isNameChar(s.charCodeAt(j), j === i)) j++;
  return j;
}

/** Parses the flat document, or returns undefined when it is anything else (the caller falls back). */
export function parseFlatXml(xml: string): CallbackFields | undefined {
  let i = 0;
  if (xml.startsWith('<?xml', 0) && isSpace(xml.charCodeAt(5))) {
    const end = xml.indexOf('?>', 6);
    if (end === -1) return undefined;
    const decl = xml.slice(6, end);
    if (decl.includes('<') || decl.includes('>')) return undefined;
    i = end + 2;
  }
  i = skipSpace(xml, i);
  if (!xml.startsWith('<xml>', i)) return undefined;
  i += 5;
  const out: CallbackFields = {};
  // Past this many fields the document is no push WeChat sends: the checked parser refuses it.
  let budget = MAX_FLAT_FIELDS;
  for (;;) {
    if (--budget < 0) return undefined;
    i = skipSpace(xml, i);
    if (xml.charCodeAt(i) !== 0x3c) return undefined;
    if (xml.startsWith('</xml>', i)) {
      i = skipSpace(xml, i + 6);
      return i === xml.length ? out : undefined;
    }
    const nameEnd = readName(xml, i + 1);
    if (nameEnd === i + 1) return undefined;
    const name = xml.slice(i + 1, nameEnd);
    if (FORBIDDEN_KEYS.has(name) || Object.prototype.hasOwnProperty.call(out, name)) return undefined;
    if (xml.startsWith('/>', nameEnd)) {
      out[name] = '';
      i = nameEnd + 2;
      continue;
    }
    if (xml.charCodeAt(nameEnd) !== 0x3e) return undefined;
    i = nameEnd + 1;
    let value: string;
    if (xml.startsWith(CDATA_OPEN, i)) {
      value = '';
      while (xml.startsWith(CDATA_OPEN, i)) {
        const end = xml.indexOf(CDATA_CLOSE, i + CDATA_OPEN.length);
        if (end === -1) return undefined;
        value += xml.slice(i + CDATA_OPEN.length, end);
        i = end + CDATA_CLOSE.length;
      }
    } else {
      const lt = xml.indexOf('<', i);
      if (lt === -1) return undefined;
      const raw = xml.slice(i, lt);
      if (raw.includes('&')) return undefined;
      value = raw.trim();
      i = lt;
    }
    // The close tag must follow directly: anything else (child elements, mixed content) goes to the full parser.
    if (xml.charCodeAt(i) !== 0x3c || xml.charCodeAt(i + 1) !== 0x2f || !xml.startsWith(name, i + 2)) return undefined;
    i += 2 + name.length;
    if (xml.charCodeAt(i) !== 0x3e) return undefined;
    i += 1;
    out[name] = value;
  }
}
