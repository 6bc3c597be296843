import { buildXml } from '../../../connectors/common/xml';
import { handleWebhook } from '../../../connectors/wecom';
import { accepted, rejectionOf, request, seal } from '../webhook-helpers';

const TOKEN = '123456';
const AES = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const CORP = 'ww0a1b2c3d4e5f6a7b';
const NOW = 1700000000;
const account = { corpId: CORP, token: TOKEN, encodingAESKey: AES };

function deliver(payload: string) {
  const { encrypt, query } = seal(TOKEN, AES, CORP, payload, String(NOW));
  const { signature: _s, encrypt_type: _t, ...wecomQuery } = query;
  return handleWebhook(
    account,
    request('POST', wecomQuery, buildXml({ ToUserName: CORP, AgentID: '1000002', Encrypt: encrypt }), {}, NOW),
    { maxSkewSeconds: 300 },
  );
}

const head = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${NOW}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>`;

/** change_contact member events (https://developer.work.weixin.qq.com/document/path/90970), real payload shapes, made-up values. */
describe('WeCom webhook: change_contact member events', () => {
  it('maps a full update_user (bare ChangeType, nested ExtAttr, renamed userid) to staff.changed with the fields it carries', async () => {
    const xml =
      `${head}<ChangeType>update_user</ChangeType><UserID><![CDATA[zhangsan]]></UserID><NewUserID><![CDATA[zhangsan001]]></NewUserID>` +
      '<Name><![CDATA[张三]]></Name><Department><![CDATA[1,2,3]]></Department><MainDepartment>1</MainDepartment><IsLeaderInDept><![CDATA[1,0,0]]></IsLeaderInDept>' +
      '<Position><![CDATA[产品经理]]></Position><Mobile>13800000000</Mobile><Gender>1</Gender><Email><![CDATA[zhangsan@example.com]]></Email><Status>1</Status>' +
      '<Avatar><![CDATA[http://wx.qlogo.cn/mmopen/x/0]]></Avatar><Alias><![CDATA[zhangsan]]></Alias><Telephone><![CDATA[020-123456]]></Telephone><Address><![CDATA[广州市]]></Address>' +
      '<ExtAttr><Item><Name><![CDATA[爱好]]></Name><Type>0</Type><Text><Value><![CDATA[旅游]]></Value></Text></Item></ExtAttr></xml>';
    const out = await accepted(deliver(xml));
    expect(out.kind).toBe('wecom.change_contact.update_user');
    expect(out.events).toEqual([
      {
        kind: 'staff.changed',
        channel: 'wecom',
        account: CORP,
        occurredAt: new Date(NOW * 1000).toISOString(),
        change: 'updated',
        userId: 'zhangsan',
        newUserId: 'zhangsan001',
        name: '张三',
        departments: [1, 2, 3],
        position: '产品经理',
        status: 1,
      },
    ]);
  });

  it('keeps a minimal create_user (UserID and Department only) minimal, and delete_user to the userid', async () => {
    const created = await accepted(
      deliver(
        `${head}<ChangeType><![CDATA[create_user]]></ChangeType><UserID><![CDATA[lisi]]></UserID><Department><![CDATA[2]]></Department></xml>`,
      ),
    );
    expect(created.events).toEqual([
      expect.objectContaining({ kind: 'staff.changed', change: 'created', userId: 'lisi', departments: [2] }),
    ]);
    expect(created.events[0]).not.toHaveProperty('name');
    const deleted = await accepted(
      deliver(`${head}<ChangeType><![CDATA[delete_user]]></ChangeType><UserID><![CDATA[lisi]]></UserID></xml>`),
    );
    expect(deleted.events).toEqual([
      {
        kind: 'staff.changed',
        channel: 'wecom',
        account: CORP,
        occurredAt: expect.any(String),
        change: 'deleted',
        userId: 'lisi',
      },
    ]);
  });

  it('dedupes retries of one change but tells apart two edits of one member in the same second', async () => {
    const edit = (name: string) =>
      `${head}<ChangeType>update_user</ChangeType><UserID><![CDATA[wangwu]]></UserID><Name><![CDATA[${name}]]></Name></xml>`;
    const [a, again, b] = await Promise.all([
      accepted(deliver(edit('王五'))),
      accepted(deliver(edit('王五'))),
      accepted(deliver(edit('王小五'))),
    ]);
    expect(again.dedupeKey).toBe(a.dedupeKey);
    expect(b.dedupeKey).not.toBe(a.dedupeKey);
  });

  it('rejects a member event without UserID or with a malformed Department (400), and leaves party changes unsupported', async () => {
    expect(
      await rejectionOf(() => deliver(`${head}<ChangeType>create_user</ChangeType><Department>1</Department></xml>`)),
    ).toMatchObject({ status: 400, code: 'MALFORMED' });
    expect(
      await rejectionOf(() =>
        deliver(`${head}<ChangeType>update_user</ChangeType><UserID>a</UserID><Department>1,x</Department></xml>`),
      ),
    ).toMatchObject({ status: 400, code: 'MALFORMED' });
    const party = await accepted(
      deliver(
        `${head}<ChangeType>create_party</ChangeType><Id>5</Id><Name><![CDATA[华南区]]></Name><ParentId>1</ParentId></xml>`,
      ),
    );
    expect(party.events.map((e) => e.kind)).toEqual(['unsupported']);
  });
});
