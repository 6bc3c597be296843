import { parseCallbackJson } from '../../../connectors/common/json';
import { parseCallbackXml } from '../../../connectors/common/xml';
import { pushContext } from '../../../connectors/common/push-mapping';
import { mapMpEvent } from '../../../connectors/mini-program/mappers/event.mapper';
import { mapOaEvent } from '../../../connectors/official-account/mappers/event.mapper';
import { WebhookRejection } from '../../../connectors/common/webhook-types';

/** Privacy, subscribe-message, LOCATION and mass-send pushes as WeChat documents them (wechat-api-events.md). */
const MP = 'wx0000000000000001';
const mp = (body: string) => {
  const fields = body.trimStart().startsWith('{') ? parseCallbackJson(body) : parseCallbackXml(body);
  return mapMpEvent(pushContext('mini-program', 'mp', MP, 'mp_openid', fields), fields);
};
const oa = (xml: string, storeLocation = false) => {
  const fields = parseCallbackXml(xml);
  return mapOaEvent(pushContext('official-account', 'oa', MP, 'oa_openid', fields), fields, xml, { storeLocation });
};

describe('privacy events', () => {
  it('refuses a RevokeInfo that is not a code', () => {
    const xml = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oPlatform]]></FromUserName><CreateTime>1718000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[user_authorization_revoke]]></Event><OpenID><![CDATA[oUser1]]></OpenID><AppID><![CDATA[${MP}]]></AppID><RevokeInfo><![CDATA[x';]]></RevokeInfo></xml>`;
    expect(() => mp(xml)).toThrow(WebhookRejection);
  });

  it('reads the affected user from OpenID, not FromUserName, and keys on AppID+OpenID+Event+RevokeInfo+CreateTime', () => {
    const xml = `<xml><ToUserName><![CDATA[gh_0a1b2c3d4e5f]]></ToUserName><FromUserName><![CDATA[oPlatformPushSvc000000000000]]></FromUserName><CreateTime>1718000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[user_authorization_revoke]]></Event><OpenID><![CDATA[oUser_revoker_000000000001]]></OpenID><AppID><![CDATA[${MP}]]></AppID><RevokeInfo><![CDATA[8]]></RevokeInfo></xml>`;
    const m = mp(xml);
    expect(m.dedupeKey).toBe(`mp:${MP}:event:oUser_revoker_000000000001:1718000000:user_authorization_revoke:8`);
    expect(m.events).toEqual([
      expect.objectContaining({
        kind: 'privacy.notice',
        action: 'revoke',
        revokeInfo: '8',
        subjects: [{ type: 'mp_openid', scope: MP, value: 'oUser_revoker_000000000001' }],
      }),
    ]);
  });

  it('takes the MP JSON cancellation with a numeric CreateTime; two users in one second get two keys', () => {
    const body = (openid: string) =>
      `{"ToUserName":"gh_0a1b2c3d4e5f","FromUserName":"oPlatformPushSvc000000000000","CreateTime":1718000000,"MsgType":"event","Event":"user_authorization_cancellation","OpenID":"${openid}","AppID":"${MP}"}`;
    const a = mp(body('oUser_a'));
    const b = mp(body('oUser_b'));
    expect(a.events[0]).toMatchObject({ kind: 'privacy.notice', action: 'cancellation' });
    expect(a.dedupeKey).not.toBe(b.dedupeKey);
  });

  it('an OA privacy event concerns the follower and the web-OAuth openid; one without OpenID is unsupported', () => {
    const head = `<ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oPlatform]]></FromUserName><CreateTime>1718000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[user_info_modified]]></Event>`;
    const m = oa(`<xml>${head}<OpenID><![CDATA[oFan]]></OpenID><AppID><![CDATA[${MP}]]></AppID></xml>`);
    expect(m.events[0]).toMatchObject({
      kind: 'privacy.notice',
      action: 'info_modified',
      subjects: [
        { type: 'oa_openid', scope: MP, value: 'oFan' },
        { type: 'h5_openid', scope: MP, value: 'oFan' },
      ],
    });
    expect(oa(`<xml>${head}</xml>`).events[0]).toMatchObject({ kind: 'unsupported' });
  });
});

describe('subscribe-message events', () => {
  it('MP JSON: a top-level List object is one template, an array several; values are strings', () => {
    const one = mp(
      `{"ToUserName":"gh_1","FromUserName":"oU","CreateTime":1718000300,"MsgType":"event","Event":"subscribe_msg_popup_event","List":{"TemplateId":"TPL_1","SubscribeStatusString":"accept","PopupScene":"0"}}`,
    );
    expect(one.events).toEqual([
      expect.objectContaining({ kind: 'consent.observed', templateId: 'TPL_1', granted: true, trigger: 'popup' }),
    ]);
    const many = mp(
      `{"ToUserName":"gh_1","FromUserName":"oU","CreateTime":1718000300,"MsgType":"event","Event":"subscribe_msg_popup_event","List":[{"TemplateId":"TPL_1","SubscribeStatusString":"accept","PopupScene":"0"},{"TemplateId":"TPL_2","SubscribeStatusString":"reject","PopupScene":"0"}]}`,
    );
    expect(many.events.map((e) => e.kind === 'consent.observed' && [e.templateId, e.granted])).toEqual([
      ['TPL_1', true],
      ['TPL_2', false],
    ]);
    expect(many.dedupeKey).not.toBe(one.dedupeKey);
  });

  it('XML: one List per template inside the wrapper; the change event withdraws', () => {
    const m = oa(
      `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oU]]></FromUserName><CreateTime>1718000300</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_change_event]]></Event><SubscribeMsgChangeEvent><List><TemplateId><![CDATA[TPL_9]]></TemplateId><SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString></List></SubscribeMsgChangeEvent></xml>`,
    );
    expect(m.events).toEqual([
      expect.objectContaining({
        kind: 'consent.observed',
        subject: { type: 'oa_openid', scope: MP, value: 'oU' },
        templateId: 'TPL_9',
        granted: false,
        trigger: 'change',
      }),
    ]);
  });

  it('the sent event is a behaviour listing each result with its MsgID', () => {
    const m = mp(
      `{"ToUserName":"gh_1","FromUserName":"oU","CreateTime":1718000300,"MsgType":"event","Event":"subscribe_msg_sent_event","List":{"TemplateId":"TPL_1","MsgID":"1864000000000000001","ErrorCode":"0","ErrorStatus":"success"}}`,
    );
    expect(m.events[0]).toMatchObject({
      kind: 'behaviour.recorded',
      type: 'subscribe_msg_sent',
      properties: {
        results: [{ templateId: 'TPL_1', msgId: '1864000000000000001', errorCode: '0', errorStatus: 'success' }],
      },
    });
  });
});

describe('OA LOCATION and MASSSENDJOBFINISH', () => {
  const location = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oFan]]></FromUserName><CreateTime>1718000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[LOCATION]]></Event><Latitude>23.137466</Latitude><Longitude>113.352425</Longitude><Precision>119.385040</Precision></xml>`;

  it('drops LOCATION by default: no event, no body, a key without the openid', () => {
    const m = oa(location);
    expect(m.events).toEqual([]);
    expect(m.raw).toBe('');
    expect(m.dedupeKey).not.toContain('oFan');
    expect(oa(location).dedupeKey).toBe(m.dedupeKey);
  });

  it('keeps LOCATION with storeLocation on', () => {
    expect(oa(location, true).events).toEqual([
      expect.objectContaining({ kind: 'location.reported', latitude: '23.137466', longitude: '113.352425' }),
    ]);
  });

  it('reads MASSSENDJOBFINISH with its upper-case MsgID and counts', () => {
    const m = oa(
      `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[oAdmin]]></FromUserName><CreateTime>1718000200</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event><MsgID>1000000123</MsgID><Status><![CDATA[send success]]></Status><TotalCount>120</TotalCount><FilterCount>118</FilterCount><SentCount>117</SentCount><ErrorCount>1</ErrorCount><CopyrightCheckResult><Count>0</Count><ResultList></ResultList><CheckState>1</CheckState></CopyrightCheckResult><ArticleUrlResult><Count>1</Count><ResultList><item><ArticleIdx>1</ArticleIdx><ArticleUrl><![CDATA[http://mp.weixin.qq.com/s/EXAMPLE]]></ArticleUrl></item></ResultList></ArticleUrlResult></xml>`,
    );
    expect(m.events[0]).toEqual(
      expect.objectContaining({
        kind: 'mass_send.finished',
        msgId: '1000000123',
        status: 'send success',
        totalCount: 120,
        filterCount: 118,
        sentCount: 117,
        errorCount: 1,
      }),
    );
  });
});
