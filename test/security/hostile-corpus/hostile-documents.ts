/**
 * Hostile JSON and XML documents as data, each under a name. Builders wrap them for a given endpoint; the
 * documents themselves know nothing about WeChat beyond the field names they abuse.
 */
export interface Doc {
  name: string;
  body: string | Buffer;
}

const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0xfe]);

export function withInvalidUtf8(prefix: string, suffix: string): Buffer {
  return Buffer.concat([Buffer.from(prefix, 'utf8'), INVALID_UTF8, Buffer.from(suffix, 'utf8')]);
}

function invalidUtf8Inside(marked: string): Buffer {
  const [before = '', after = ''] = marked.split('@@BYTES@@');
  return withInvalidUtf8(before, after);
}

/** JSON that breaks a bound or the grammar; `wrap(inner)` places a hostile value inside a plausible body. */
export function hostileJson(wrap: (inner: string) => string): Doc[] {
  return [
    { name: 'objects nested 5,000 deep', body: wrap('{"a":'.repeat(5000) + '1' + '}'.repeat(5000)) },
    { name: 'arrays nested 100,000 deep', body: wrap('['.repeat(100_000) + ']'.repeat(100_000)) },
    { name: 'arrays nested 20,000 deep, unclosed', body: wrap('['.repeat(20_000)) },
    {
      name: 'mixed objects and arrays nested 3,000 deep',
      body: wrap('[{"x":'.repeat(3000) + 'null' + '}]'.repeat(3000)),
    },
    { name: 'nested one level past the bound', body: wrap('['.repeat(65) + ']'.repeat(65)) },
    { name: 'unterminated string of escaped quotes (regex backtracking)', body: wrap('"' + '\\"'.repeat(60_000)) },
    { name: 'unterminated string', body: wrap('"abc') },
    { name: 'duplicated key', body: wrap('{"k":1,"k":2}') },
    { name: 'duplicated key through an escape', body: wrap('{"k":1,"\\u006b":2}') },
    { name: 'array of 30,000 members', body: wrap('[' + new Array(30_000).fill('0').join(',') + ']') },
    {
      name: 'object of 22,000 keys',
      body: wrap('{' + Array.from({ length: 22_000 }, (_, i) => `"k${i}":0`).join(',') + '}'),
    },
    { name: 'overflow number 1e999999', body: wrap('1e999999') },
    { name: 'negative overflow number', body: wrap('-1e999999') },
    { name: '40-digit integer', body: wrap('1234567890123456789012345678901234567890') },
    { name: 'truncated document', body: wrap('{"a":[1,2') },
    { name: 'trailing garbage', body: wrap('{}') + '}}}}' },
    { name: 'NUL bytes', body: wrap('"\u0000\u0000"') + '\u0000' },
    { name: 'invalid UTF-8 bytes in a string', body: invalidUtf8Inside(wrap('"@@BYTES@@"')) },
    { name: 'byte order mark then JSON', body: '\ufeff' + wrap('1') },
    { name: 'single quotes', body: wrap("{'a':1}") },
    { name: 'NaN and Infinity literals', body: wrap('[NaN, Infinity, -Infinity]') },
    { name: 'comment inside JSON', body: wrap('/* x */ 1') },
  ];
}

/** JSON documents that are not what the endpoint expects at the top level. */
export const WRONG_ROOTS: Doc[] = [
  { name: 'empty body', body: '' },
  { name: 'whitespace only', body: ' \r\n\t ' },
  { name: 'null root', body: 'null' },
  { name: 'array root', body: '[]' },
  { name: 'string root', body: '"x"' },
  { name: 'number root', body: '1' },
  { name: 'unterminated string of 60,000 escaped quotes (regex backtracking)', body: '"' + '\\"'.repeat(60_000) },
  { name: '__proto__ key', body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' },
];

/** Declarations, entities and processing instructions: refused before any parser sees them (DESIGN §7). */
export const XML_DECLARATIONS: Doc[] = [
  {
    name: 'internal entity',
    body: '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e "boom">]><xml><Content>&e;</Content></xml>',
  },
  {
    name: 'billion laughs',
    body:
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
      ']><xml><Content>&lol9;</Content></xml>',
  },
  {
    name: 'external entity (file)',
    body: '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>',
  },
  {
    name: 'external entity (http)',
    body: '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "http://127.0.0.1:1/x">]><xml><Content>&xxe;</Content></xml>',
  },
  { name: 'parameter entity', body: '<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://127.0.0.1:1/p.dtd"> %p;]><xml/>' },
  { name: 'external DTD', body: '<!DOCTYPE xml SYSTEM "http://127.0.0.1:1/x.dtd"><xml><Content>x</Content></xml>' },
  { name: 'DOCTYPE after the root opens', body: '<xml><!DOCTYPE x><Content>x</Content></xml>' },
  { name: 'ELEMENT declaration', body: '<!ELEMENT xml ANY><xml/>' },
  {
    name: 'stylesheet processing instruction',
    body: '<?xml-stylesheet href="http://127.0.0.1:1/x"?><xml><Content>x</Content></xml>',
  },
  { name: 'processing instruction inside the root', body: '<xml><?php echo 1; ?><Content>x</Content></xml>' },
  { name: 'XML declaration not at the start', body: ' \n<?xml version="1.0"?><xml/>' },
];

/** Malformed or oversized XML structure. */
export const XML_STRUCTURE: Doc[] = [
  {
    name: 'elements nested 50,000 deep',
    body: '<xml>' + '<a>'.repeat(50_000) + 'x' + '</a>'.repeat(50_000) + '</xml>',
  },
  { name: 'elements nested 40 deep', body: '<xml>' + '<a>'.repeat(40) + 'x' + '</a>'.repeat(40) + '</xml>' },
  { name: 'unclosed nesting', body: '<xml>' + '<a>'.repeat(30_000) },
  { name: '30,000 sibling elements', body: '<xml>' + '<a>1</a>'.repeat(30_000) + '</xml>' },
  { name: 'unterminated CDATA', body: '<xml><Content><![CDATA[abc</Content></xml>' },
  { name: 'unterminated comment', body: '<xml><!-- x <Content>x</Content></xml>' },
  { name: 'mismatched tags', body: '<xml><Content>x</MsgType></xml>' },
  { name: 'two roots', body: '<xml></xml><xml></xml>' },
  { name: 'wrong root element', body: '<root><Content>x</Content></root>' },
  { name: 'namespaced root', body: '<x:xml xmlns:x="urn:x"><Content>x</Content></x:xml>' },
  {
    name: 'attribute flood',
    body: '<xml><Content ' + Array.from({ length: 5000 }, (_, i) => `a${i}="1"`).join(' ') + '>x</Content></xml>',
  },
  { name: 'duplicated attribute', body: '<xml><Content a="1" a="2">x</Content></xml>' },
  { name: '__proto__ element', body: '<xml><__proto__><admin>1</admin></__proto__></xml>' },
  { name: 'constructor element', body: '<xml><constructor>1</constructor></xml>' },
  { name: 'character reference past Unicode', body: '<xml><Content>&#x110000;&#99999999;</Content></xml>' },
  { name: 'undeclared entity reference', body: '<xml><Content>&nope;</Content></xml>' },
  { name: 'invalid UTF-8 bytes', body: withInvalidUtf8('<xml><Content><![CDATA[', ']]></Content></xml>') },
  { name: 'NUL bytes', body: '<xml>\u0000<Content>\u0000</Content></xml>' },
  { name: 'not XML at all', body: 'hello' },
  { name: 'JSON sent to an XML endpoint', body: '{"ToUserName":"x"}' },
  { name: 'empty body', body: '' },
  { name: 'empty root', body: '<xml></xml>' },
  { name: 'truncated document', body: '<xml><ToUserName><![CDATA[gh_' },
  {
    name: '25,000 distinct child elements',
    body: `<xml>${Array.from({ length: 25_000 }, (_, i) => `<a${i}/>`).join('')}</xml>`,
  },
];
