import { parseFlatXml } from '../../../connectors/common/flat-xml';
import { parseCallbackXml, parseCheckedXml } from '../../../connectors/common/xml';
import { WebhookRejection } from '../../../connectors/common/webhook-types';

function status(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    if (e instanceof WebhookRejection) return e.status;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('parseFlatXml', () => {
  it('declines every declaration, PI, comment and entity so the checked parser rejects or reads it', () => {
    const hostile = [
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><A>&x;</A></xml>',
      '<xml><!DOCTYPE x><A>1</A></xml>',
      '<?xml-stylesheet href="x.xsl"?><xml><A>1</A></xml>',
      '<xml><?php echo 1 ?><A>1</A></xml>',
      '<xml><A>1</A><?pi?></xml>',
      '<xml><A>1</A></xml><?pi?>',
    ];
    for (const xml of hostile) {
      expect(parseFlatXml(xml)).toBeUndefined();
      expect(status(() => parseCallbackXml(xml))).toBe(400);
    }
  });

  it('declines what it does not fully understand: nested, repeated, attributes, mixed content, escapes, __proto__', () => {
    for (const xml of [
      '<xml><E><K>v</K></E></xml>',
      '<xml><A>1</A><A>2</A></xml>',
      '<xml><A b="1">1</A></xml>',
      '<xml><A>x<![CDATA[y]]></A></xml>',
      '<xml><A>x &amp; y</A></xml>',
      '<xml><__proto__>1</__proto__></xml>',
      '<xml><A>1</B></xml>',
      '<xml><A>1</A>',
      '<xml><A>1</A></xml>tail',
      '<xml/>',
      '',
    ]) {
      expect(parseFlatXml(xml)).toBeUndefined();
    }
    expect(parseCallbackXml('<xml><A>x &amp; &#x4e2d;</A></xml>')).toEqual({ A: 'x & 中' });
    expect(parseCallbackXml('<xml><E><K>v</K></E></xml>')).toEqual({ E: { K: 'v' } });
  });

  it('reads WeChat flat pushes exactly as the checked parser does', () => {
    for (const xml of [
      '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_1]]></FromUserName><CreateTime>1348831860</CreateTime>' +
        '<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[  <!DOCTYPE a &amp; ]]></Content><MsgId>9223372036854775807</MsgId></xml>',
      '<?xml version="1.0" encoding="utf-8"?>\n<xml>\n  <A> 007 </A>\r\n\t<Empty></Empty><Self/>\n</xml>\n',
      '<xml><ToUserName><![CDATA[wx1]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>',
      '<xml><C><![CDATA[a]]]]><![CDATA[>b]]></C><D>a>b</D></xml>',
      '<xml></xml>',
    ]) {
      const flat = parseFlatXml(xml);
      expect(flat).toBeDefined();
      expect(flat).toEqual(parseCheckedXml(xml));
    }
  });
});

describe('parseCheckedXml', () => {
  it('rejects processing instructions other than a leading <?xml …?> declaration', () => {
    expect(status(() => parseCheckedXml('<?xml-stylesheet href="x"?><xml><A>1</A></xml>'))).toBe(400);
    expect(status(() => parseCheckedXml('<xml><E><?php x?><K>1</K></E></xml>'))).toBe(400);
    expect(status(() => parseCheckedXml(' <?xml version="1.0"?><xml><E><K>1</K></E></xml>'))).toBe(400);
    expect(parseCheckedXml('<?xml version="1.0"?><xml><E><K><![CDATA[<?pi?>]]></K></E><!-- <?x?> --></xml>')).toEqual({
      E: { K: '<?pi?>' },
    });
  });
});
