import { buildXml, parseCallbackXml } from '../../../connectors/common/xml';
import { parseCallbackJson } from '../../../connectors/common/json';
import { WebhookRejection } from '../../../connectors/common/webhook-types';

function rejection(fn: () => unknown): WebhookRejection {
  try {
    fn();
  } catch (e) {
    if (e instanceof WebhookRejection) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('parseCallbackXml', () => {
  it('rejects a DOCTYPE with an entity (XXE / billion laughs) with 400 MALFORMED', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><A>&x;</A></xml>';
    const r = rejection(() => parseCallbackXml(xxe));
    expect([r.status, r.code]).toEqual([400, 'MALFORMED']);
    expect(rejection(() => parseCallbackXml('<!ENTITY a "b"><xml/>')).status).toBe(400);
    expect(rejection(() => parseCallbackXml('<xml><!doctype x><A>1</A></xml>')).status).toBe(400);
  });

  it('rejects malformed documents and other roots', () => {
    for (const bad of [
      '',
      'hello',
      '<xml><A>1</B></xml>',
      '<xml><A>1</A>',
      '<root><A>1</A></root>',
      '<xml><A>1</A></xml><xml/>',
      '<xml>text</xml>',
      '<xml><__proto__><a>1</a></__proto__></xml>',
    ]) {
      expect(rejection(() => parseCallbackXml(bad)).status).toBe(400);
    }
  });

  it('keeps every value a string (64-bit MsgId), unwraps CDATA verbatim and decodes only predefined escapes', () => {
    const f = parseCallbackXml(
      '<?xml version="1.0" encoding="utf-8"?>\n<xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1348831860</CreateTime>' +
        '<MsgId>9223372036854775807</MsgId><Content><![CDATA[  a &amp; <b> ]]></Content><Empty></Empty><Self/>' +
        '<Plain>x &lt;y&gt; &#x4e2d;&#25991; &unknown;</Plain><Lead>007</Lead><!-- note --></xml>',
    );
    expect(f).toEqual({
      ToUserName: 'gh_1',
      CreateTime: '1348831860',
      MsgId: '9223372036854775807',
      Content: '  a &amp; <b> ',
      Empty: '',
      Self: '',
      Plain: 'x <y> 中文 &unknown;',
      Lead: '007',
    });
  });

  it('accepts <!DOCTYPE text inside CDATA (a user may type it)', () => {
    expect(parseCallbackXml('<xml><Content><![CDATA[<!DOCTYPE html>]]></Content></xml>')).toEqual({
      Content: '<!DOCTYPE html>',
    });
  });

  it('parses nested and repeated elements', () => {
    const f = parseCallbackXml('<xml><E><List><Id>1</Id></List><List><Id>2</Id></List></E></xml>');
    expect(f).toEqual({ E: { List: [{ Id: '1' }, { Id: '2' }] } });
  });

  it('buildXml round-trips through the parser, CDATA-escaping "]]>"', () => {
    const xml = buildXml({ ToUserName: 'o1', CreateTime: 12, Content: 'a]]>b', Nested: { K: 'v' } });
    expect(xml).toBe(
      '<xml><ToUserName><![CDATA[o1]]></ToUserName><CreateTime>12</CreateTime><Content><![CDATA[a]]]]><![CDATA[>b]]></Content><Nested><K><![CDATA[v]]></K></Nested></xml>',
    );
    expect(parseCallbackXml(xml)).toEqual({ ToUserName: 'o1', CreateTime: '12', Content: 'a]]>b', Nested: { K: 'v' } });
    expect(() => buildXml({ 'bad name': 'x' })).toThrow(TypeError);
  });
});

describe('parseCallbackJson', () => {
  it('rejects non-objects and invalid JSON with 400', () => {
    for (const bad of ['', '[1]', '"x"', '{', '{"__proto__":{"a":1}}'])
      expect(rejection(() => parseCallbackJson(bad)).status).toBe(400);
  });

  it('keeps 64-bit numbers exact as strings and leaves numbers inside strings alone', () => {
    const f = parseCallbackJson(
      '{"MsgId": 23456789012345678901, "CreateTime":1482048670, "Content":"1,2: 3", "Neg":-1.5e3, "B":true, "N":null, "L":[{"Id":7}]}',
    );
    expect(f).toEqual({
      MsgId: '23456789012345678901',
      CreateTime: '1482048670',
      Content: '1,2: 3',
      Neg: '-1.5e3',
      B: 'true',
      N: '',
      L: [{ Id: '7' }],
    });
  });

  it('handles escaped quotes in strings', () => {
    expect(parseCallbackJson('{"A":"say \\"12\\"","B":3}')).toEqual({ A: 'say "12"', B: '3' });
  });
});

describe('bounds before any walk', () => {
  it('refuses a JSON push nested 5,000 deep with 400, not a stack overflow', () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    expect(rejection(() => parseCallbackJson(deep))).toMatchObject({ status: 400, code: 'MALFORMED' });
    expect(rejection(() => parseCallbackJson(`{"L":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)).status).toBe(400);
  });

  it('refuses an unterminated string before the number-quoting regex sees it', () => {
    expect(rejection(() => parseCallbackJson('"' + '\\"'.repeat(60_000))).message).toMatch(/not terminated/);
  });

  it('refuses a duplicated JSON key, also when written with an escape', () => {
    expect(rejection(() => parseCallbackJson('{"MsgType":"text","MsgType":"event"}')).status).toBe(400);
    expect(rejection(() => parseCallbackJson('{"MsgType":"text","\\u004dsgType":"event"}')).status).toBe(400);
  });

  it('refuses XML nested past 32 levels and keeps shallower nesting', () => {
    const nest = (n: number) => `<xml>${'<a>'.repeat(n)}x${'</a>'.repeat(n)}</xml>`;
    expect(rejection(() => parseCallbackXml(nest(40))).status).toBe(400);
    expect(rejection(() => parseCallbackXml(nest(50_000))).status).toBe(400);
    expect(parseCallbackXml(nest(3))).toEqual({ a: { a: { a: 'x' } } });
  });

  it('refuses more than 20,000 child elements with 413, distinct or repeated, and reads 1,500 flat fields', () => {
    const distinct = `<xml>${Array.from({ length: 20_001 }, (_, i) => `<a${i}/>`).join('')}</xml>`;
    expect(rejection(() => parseCallbackXml(distinct)).status).toBe(413);
    expect(rejection(() => parseCallbackXml(`<xml>${'<a>1</a>'.repeat(20_001)}</xml>`)).status).toBe(413);
    const wide = parseCallbackXml(`<xml>${Array.from({ length: 1500 }, (_, i) => `<F${i}>v</F${i}>`).join('')}</xml>`);
    expect(Object.keys(wide)).toHaveLength(1500);
  });
});
