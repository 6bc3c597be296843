import { cdata, toJson, toXml } from '../../../emulator/callbacks/callback-message';
import { messageId } from '../../../emulator/callbacks/callback-ids';
import { buildMpMessage } from '../../../emulator/callbacks/mp-message.builder';
import { buildOaEvent, CallbackInputError, TEMPLATE_STATUSES } from '../../../emulator/callbacks/oa-event.builder';
import { buildOaMessage } from '../../../emulator/callbacks/oa-message.builder';
import {
  buildExternalContactEvent,
  buildExternalTagEvent,
  buildMemberChangeEvent,
} from '../../../emulator/callbacks/wecom-event.builder';

// Shapes: wechat-api.md §4.3 (OA), §6.4 (MP), §5.9 (WeCom). Strings in CDATA, integers bare.
const h = { toUserName: 'gh_123456789abc', openid: 'oUser000000000000000000000001', createTime: 1700000000 };
const head =
  '<xml>\n<ToUserName><![CDATA[gh_123456789abc]]></ToUserName>\n<FromUserName><![CDATA[oUser000000000000000000000001]]></FromUserName>\n<CreateTime>1700000000</CreateTime>\n';
const MSGID = 4363689963896700987n;

describe('OA event builders', () => {
  it('rejects a QR-code subscribe without a ticket', () => {
    expect(() => buildOaEvent(h, { type: 'subscribe', sceneValue: '123' })).toThrow(CallbackInputError);
  });
  it('builds a plain subscribe, with and without the empty EventKey', () => {
    expect(toXml(buildOaEvent(h, { type: 'subscribe' }))).toBe(
      `${head}<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[subscribe]]></Event>\n</xml>`,
    );
    expect(toXml(buildOaEvent(h, { type: 'subscribe', eventKey: '' }))).toContain('<EventKey><![CDATA[]]></EventKey>');
  });
  it('prefixes the QR scene with qrscene_ and adds the Ticket', () => {
    const xml = toXml(buildOaEvent(h, { type: 'subscribe', sceneValue: '123123', ticket: 'TICKET' }));
    expect(xml).toBe(
      `${head}<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[subscribe]]></Event>\n<EventKey><![CDATA[qrscene_123123]]></EventKey>\n<Ticket><![CDATA[TICKET]]></Ticket>\n</xml>`,
    );
    expect(toXml(buildOaEvent(h, { type: 'subscribe', sceneValue: 'qrscene_9', ticket: 'T' }))).toContain(
      '<EventKey><![CDATA[qrscene_9]]></EventKey>',
    );
  });
  it('builds unsubscribe, SCAN, CLICK and VIEW with MenuId', () => {
    expect(buildOaEvent(h, { type: 'unsubscribe' })).toEqual({
      ToUserName: h.toUserName,
      FromUserName: h.openid,
      CreateTime: 1700000000,
      MsgType: 'event',
      Event: 'unsubscribe',
    });
    expect(toXml(buildOaEvent(h, { type: 'SCAN', eventKey: '123123', ticket: 'T' }))).toContain(
      '<Event><![CDATA[SCAN]]></Event>\n<EventKey><![CDATA[123123]]></EventKey>\n<Ticket><![CDATA[T]]></Ticket>',
    );
    expect(toXml(buildOaEvent(h, { type: 'CLICK', eventKey: 'V1001_TODAY' }))).toContain(
      '<EventKey><![CDATA[V1001_TODAY]]></EventKey>\n</xml>',
    );
    expect(toXml(buildOaEvent(h, { type: 'VIEW', eventKey: 'https://example.com/', menuId: 208379533 }))).toContain(
      '<Event><![CDATA[VIEW]]></Event>\n<EventKey><![CDATA[https://example.com/]]></EventKey>\n<MenuId>208379533</MenuId>',
    );
  });
  it.each(TEMPLATE_STATUSES)('builds TEMPLATESENDJOBFINISH with Status %s and a bare MsgID', (status) => {
    const xml = toXml(buildOaEvent(h, { type: 'TEMPLATESENDJOBFINISH', msgId: 200163836, status }));
    expect(xml).toContain(
      `<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event>\n<MsgID>200163836</MsgID>\n<Status><![CDATA[${status}]]></Status>`,
    );
  });
});

describe('OA message builders', () => {
  it('writes the 64-bit MsgId bare with every digit', () => {
    const xml = toXml(buildOaMessage(h, { type: 'text', content: 'hello' }, MSGID));
    expect(xml).toBe(
      `${head}<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4363689963896700987</MsgId>\n</xml>`,
    );
    expect(messageId()).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
  });
  it('adds MsgDataId/Idx for article messages', () => {
    expect(toXml(buildOaMessage(h, { type: 'text', content: 'c', msgDataId: '2247483', idx: 1 }, MSGID))).toContain(
      '<MsgDataId><![CDATA[2247483]]></MsgDataId>\n<Idx>1</Idx>',
    );
  });
  it('builds image, voice, video, shortvideo, location and link', () => {
    expect(buildOaMessage(h, { type: 'image', picUrl: 'http://p', mediaId: 'm' }, MSGID)).toMatchObject({
      MsgType: 'image',
      PicUrl: 'http://p',
      MediaId: 'm',
      MsgId: MSGID,
    });
    expect(
      toXml(buildOaMessage(h, { type: 'voice', mediaId: 'm', format: 'amr', recognition: '你好' }, MSGID)),
    ).toContain(
      '<MediaId><![CDATA[m]]></MediaId>\n<Format><![CDATA[amr]]></Format>\n<MsgId>4363689963896700987</MsgId>\n<Recognition><![CDATA[你好]]></Recognition>',
    );
    for (const type of ['video', 'shortvideo'] as const) {
      expect(toXml(buildOaMessage(h, { type, mediaId: 'm', thumbMediaId: 't' }, MSGID))).toContain(
        `<MsgType><![CDATA[${type}]]></MsgType>\n<MediaId><![CDATA[m]]></MediaId>\n<ThumbMediaId><![CDATA[t]]></ThumbMediaId>\n<MsgId>`,
      );
    }
    expect(
      toXml(
        buildOaMessage(
          h,
          { type: 'location', latitude: 23.134521, longitude: 113.358803, scale: 20, label: '位置' },
          MSGID,
        ),
      ),
    ).toContain(
      '<Location_X>23.134521</Location_X>\n<Location_Y>113.358803</Location_Y>\n<Scale>20</Scale>\n<Label><![CDATA[位置]]></Label>',
    );
    expect(
      toXml(buildOaMessage(h, { type: 'link', title: 'T', description: 'D', url: 'https://e/' }, MSGID)),
    ).toContain(
      '<Title><![CDATA[T]]></Title>\n<Description><![CDATA[D]]></Description>\n<Url><![CDATA[https://e/]]></Url>\n<MsgId>',
    );
  });
  it('splits ]]> across CDATA sections', () => {
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
  });
});

describe('Mini Program builders', () => {
  it('serializes JSON with the XML field names and a bare 64-bit MsgId', () => {
    const json = toJson(buildMpMessage(h, { type: 'text', content: 'hi "x"' }, MSGID));
    expect(json).toBe(
      '{"ToUserName":"gh_123456789abc","FromUserName":"oUser000000000000000000000001","CreateTime":1700000000,"MsgType":"text","Content":"hi \\"x\\"","MsgId":4363689963896700987}',
    );
  });
  it('builds miniprogrampage and user_enter_tempsession', () => {
    expect(
      buildMpMessage(
        h,
        { type: 'miniprogrampage', title: 'T', appId: 'wxmp', pagePath: 'p', thumbUrl: 'u', thumbMediaId: 'm' },
        MSGID,
      ),
    ).toMatchObject({
      MsgType: 'miniprogrampage',
      AppId: 'wxmp',
      PagePath: 'p',
    });
    expect(buildMpMessage(h, { type: 'user_enter_tempsession', sessionFrom: 'sf' }, MSGID)).toMatchObject({
      MsgType: 'event',
      Event: 'user_enter_tempsession',
      SessionFrom: 'sf',
    });
  });
});

describe('WeCom builders', () => {
  const w = { corpId: 'ww0000000000000001', createTime: 1403610513 };
  const ids = { userId: 'zhangsan', externalUserId: 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA' };
  it('rejects a change without ids', () => {
    expect(() =>
      buildExternalContactEvent(w, { changeType: 'edit_external_contact', userId: '', externalUserId: 'x' }),
    ).toThrow(CallbackInputError);
  });
  it('matches the documented add_external_contact example', () => {
    expect(
      toXml(
        buildExternalContactEvent(w, {
          changeType: 'add_external_contact',
          ...ids,
          state: 'teststate',
          welcomeCode: 'WELCOMECODE',
        }),
      ),
    ).toBe(
      '<xml>\n<ToUserName><![CDATA[ww0000000000000001]]></ToUserName>\n<FromUserName><![CDATA[sys]]></FromUserName>\n<CreateTime>1403610513</CreateTime>\n' +
        '<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[change_external_contact]]></Event>\n<ChangeType><![CDATA[add_external_contact]]></ChangeType>\n' +
        '<UserID><![CDATA[zhangsan]]></UserID>\n<ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID>\n' +
        '<State><![CDATA[teststate]]></State>\n<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>\n</xml>',
    );
  });
  it('gives every ChangeType its own extra fields', () => {
    expect(buildExternalContactEvent(w, { changeType: 'add_half_external_contact', ...ids, state: 's' })).toMatchObject(
      { ChangeType: 'add_half_external_contact', State: 's' },
    );
    expect(buildExternalContactEvent(w, { changeType: 'add_half_external_contact', ...ids })).not.toHaveProperty(
      'WelcomeCode',
    );
    expect(Object.keys(buildExternalContactEvent(w, { changeType: 'edit_external_contact', ...ids }))).toEqual([
      'ToUserName',
      'FromUserName',
      'CreateTime',
      'MsgType',
      'Event',
      'ChangeType',
      'UserID',
      'ExternalUserID',
    ]);
    expect(
      buildExternalContactEvent(w, { changeType: 'del_external_contact', ...ids, source: 'DELETE_BY_TRANSFER' }),
    ).toMatchObject({ Source: 'DELETE_BY_TRANSFER' });
    expect(buildExternalContactEvent(w, { changeType: 'del_external_contact', ...ids })).not.toHaveProperty('Source');
    expect(buildExternalContactEvent(w, { changeType: 'del_follow_user', ...ids })).toMatchObject({
      ChangeType: 'del_follow_user',
    });
    expect(
      buildExternalContactEvent(w, { changeType: 'transfer_fail', ...ids, failReason: 'customer_limit_exceed' }),
    ).toMatchObject({ FailReason: 'customer_limit_exceed' });
  });
  it('builds change_external_tag for tags and groups, with an optional bare StrategyId', () => {
    const xml = toXml(buildExternalTagEvent(w, { id: 'etTAG', tagType: 'tag', changeType: 'create', strategyId: 1 }));
    expect(xml).toContain(
      '<Event><![CDATA[change_external_tag]]></Event>\n<Id><![CDATA[etTAG]]></Id>\n<TagType><![CDATA[tag]]></TagType>\n<ChangeType><![CDATA[create]]></ChangeType>\n<StrategyId>1</StrategyId>',
    );
    for (const changeType of ['update', 'delete', 'shuffle'] as const) {
      const m = buildExternalTagEvent(w, { id: '', tagType: 'tag_group', changeType });
      expect(m).toMatchObject({ TagType: 'tag_group', ChangeType: changeType, Id: '' });
      expect(m).not.toHaveProperty('StrategyId');
    }
  });
});

describe('WeCom change_contact member events', () => {
  const w = { corpId: 'ww0123456789abcdef', createTime: 1700000000 };
  const top =
    '<xml>\n<ToUserName><![CDATA[ww0123456789abcdef]]></ToUserName>\n<FromUserName><![CDATA[sys]]></FromUserName>\n<CreateTime>1700000000</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[change_contact]]></Event>\n';

  it('writes update_user as WeChat does: department lists in CDATA, MainDepartment and Status bare', () => {
    const xml = toXml(
      buildMemberChangeEvent(w, {
        changeType: 'update_user',
        userId: 'zhangsan',
        newUserId: 'zhangsan001',
        name: '张三',
        departments: [1, 2],
        position: '产品经理',
        status: 1,
      }),
    );
    expect(xml).toBe(
      `${top}<ChangeType><![CDATA[update_user]]></ChangeType>\n<UserID><![CDATA[zhangsan]]></UserID>\n<NewUserID><![CDATA[zhangsan001]]></NewUserID>\n<Name><![CDATA[张三]]></Name>\n` +
        '<Department><![CDATA[1,2]]></Department>\n<MainDepartment>1</MainDepartment>\n<IsLeaderInDept><![CDATA[0,0]]></IsLeaderInDept>\n<Position><![CDATA[产品经理]]></Position>\n<Status>1</Status>\n</xml>',
    );
  });

  it('sends only UserID and Department for callback URLs set after 2022-08-15, and only UserID on delete_user', () => {
    expect(
      toXml(
        buildMemberChangeEvent(w, {
          changeType: 'create_user',
          userId: 'lisi',
          name: '李四',
          departments: [3],
          minimal: true,
        }),
      ),
    ).toBe(
      `${top}<ChangeType><![CDATA[create_user]]></ChangeType>\n<UserID><![CDATA[lisi]]></UserID>\n<Department><![CDATA[3]]></Department>\n</xml>`,
    );
    expect(toXml(buildMemberChangeEvent(w, { changeType: 'delete_user', userId: 'lisi' }))).toBe(
      `${top}<ChangeType><![CDATA[delete_user]]></ChangeType>\n<UserID><![CDATA[lisi]]></UserID>\n</xml>`,
    );
    expect(() => buildMemberChangeEvent(w, { changeType: 'delete_user', userId: '' })).toThrow(CallbackInputError);
  });
});
