import { buildXml } from '../../../connectors/common/xml';
import { handleWebhook } from '../../../connectors/wecom';
import { accepted, rejectionOf, request, seal } from '../webhook-helpers';

const TOKEN = '123456';
const AES = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const CORP = 'ww0123456789abcdef';
const NOW = 1700000300;
const CHAT = 'wrAbCdEf0000000000000001';
const account = { corpId: CORP, token: TOKEN, encodingAESKey: AES };
const AT = new Date(NOW * 1000).toISOString();

function deliver(payload: string) {
  const { encrypt, query } = seal(TOKEN, AES, CORP, payload, String(NOW));
  const { signature: _s, encrypt_type: _t, ...wecomQuery } = query;
  return handleWebhook(
    account,
    request('POST', wecomQuery, buildXml({ ToUserName: CORP, AgentID: '1000002', Encrypt: encrypt }), {}, NOW),
    { maxSkewSeconds: 300 },
  );
}

/** The decrypted payload exactly as WeChat lays it out (wechat-api-wecom-ops.md §2), made-up values. */
function chatXml(body: string, createTime = NOW): string {
  return [
    '<xml>',
    `  <ToUserName><![CDATA[${CORP}]]></ToUserName>`,
    '  <FromUserName><![CDATA[sys]]></FromUserName>',
    `  <CreateTime>${createTime}</CreateTime>`,
    '  <MsgType><![CDATA[event]]></MsgType>',
    '  <Event><![CDATA[change_external_chat]]></Event>',
    `  <ChatId><![CDATA[${CHAT}]]></ChatId>`,
    body,
    '</xml>',
  ].join('\n');
}

const addMember = (ids: string[], cur = '9c3f97c2ada667dfb5f6d03308d963e1', scene = 3) =>
  chatXml(
    [
      '  <ChangeType><![CDATA[update]]></ChangeType>',
      '  <UpdateDetail><![CDATA[add_member]]></UpdateDetail>',
      `  <JoinScene>${scene}</JoinScene>`,
      `  <MemChangeCnt>${ids.length}</MemChangeCnt>`,
      `  <MemChangeList>${ids.map((id) => `<Item><![CDATA[${id}]]></Item>`).join('')}</MemChangeList>`,
      '  <LastMemVer><![CDATA[5807afd2ab75771d5e8ac623f534ac0b]]></LastMemVer>',
      `  <CurMemVer><![CDATA[${cur}]]></CurMemVer>`,
    ].join('\n'),
  );

describe('WeCom webhook: change_external_chat', () => {
  it('maps add_member to group.changed with the joined members, the scene and the member versions', async () => {
    const out = await accepted(deliver(addMember(['wmExtUser00000000000000001'])));
    expect(out.kind).toBe('wecom.change_external_chat.update');
    expect(out.events).toEqual([
      {
        kind: 'group.changed',
        channel: 'wecom',
        account: CORP,
        occurredAt: AT,
        chatId: CHAT,
        change: 'updated',
        detail: 'add_member',
        members: {
          direction: 'joined',
          userIds: ['wmExtUser00000000000000001'],
          count: 1,
          scene: 3,
          previousVersion: '5807afd2ab75771d5e8ac623f534ac0b',
          version: '9c3f97c2ada667dfb5f6d03308d963e1',
        },
      },
    ]);
  });

  it('keeps several Items in order, staff userids and external_userids alike', async () => {
    const out = await accepted(
      deliver(addMember(['lisi', 'wmExtUser00000000000000002', 'woExtUser00000000000000003'], undefined, 0)),
    );
    expect(out.events[0]).toMatchObject({
      members: { userIds: ['lisi', 'wmExtUser00000000000000002', 'woExtUser00000000000000003'], count: 3, scene: 0 },
    });
  });

  it('maps del_member with QuitScene to a leave', async () => {
    const xml = chatXml(
      [
        '  <ChangeType><![CDATA[update]]></ChangeType>',
        '  <UpdateDetail><![CDATA[del_member]]></UpdateDetail>',
        '  <QuitScene>1</QuitScene>',
        '  <MemChangeCnt>1</MemChangeCnt>',
        '  <MemChangeList><Item><![CDATA[wmExtUser00000000000000001]]></Item></MemChangeList>',
        '  <LastMemVer><![CDATA[9c3f97c2ada667dfb5f6d03308d963e1]]></LastMemVer>',
        '  <CurMemVer><![CDATA[0a1b2c3d4e5f60718293a4b5c6d7e8f9]]></CurMemVer>',
      ].join('\n'),
    );
    const out = await accepted(deliver(xml));
    expect(out.events[0]).toMatchObject({
      kind: 'group.changed',
      detail: 'del_member',
      members: {
        direction: 'left',
        userIds: ['wmExtUser00000000000000001'],
        count: 1,
        scene: 1,
        version: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      },
    });
  });

  it('reads the older comma-separated MemChangeList form too', async () => {
    const xml = chatXml(
      '<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail><JoinScene>0</JoinScene><MemChangeCnt>2</MemChangeCnt><MemChangeList><![CDATA[wmA0000000000000000000000001,wmA0000000000000000000000002]]></MemChangeList>',
    );
    expect((await accepted(deliver(xml))).events[0]).toMatchObject({
      members: { userIds: ['wmA0000000000000000000000001', 'wmA0000000000000000000000002'], count: 2 },
    });
  });

  it('maps create, the updates without members and dismiss', async () => {
    const created = await accepted(deliver(chatXml('  <ChangeType><![CDATA[create]]></ChangeType>')));
    expect(created.kind).toBe('wecom.change_external_chat.create');
    expect(created.events).toEqual([
      { kind: 'group.changed', channel: 'wecom', account: CORP, occurredAt: AT, chatId: CHAT, change: 'created' },
    ]);
    for (const detail of ['change_owner', 'change_name', 'change_notice']) {
      const out = await accepted(
        deliver(
          chatXml(
            `  <ChangeType><![CDATA[update]]></ChangeType>\n  <UpdateDetail><![CDATA[${detail}]]></UpdateDetail>`,
          ),
        ),
      );
      expect(out.events).toEqual([
        {
          kind: 'group.changed',
          channel: 'wecom',
          account: CORP,
          occurredAt: AT,
          chatId: CHAT,
          change: 'updated',
          detail,
        },
      ]);
    }
    const dismissed = await accepted(deliver(chatXml('  <ChangeType><![CDATA[dismiss]]></ChangeType>')));
    expect(dismissed.kind).toBe('wecom.change_external_chat.dismiss');
    expect(dismissed.events).toEqual([
      { kind: 'group.dismissed', channel: 'wecom', account: CORP, occurredAt: AT, chatId: CHAT },
    ]);
  });

  it('dedupes retries of one change but keeps distinct changes of one group in the same second apart', async () => {
    const one = addMember(['wmExtUser00000000000000001'], 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    const [a, retry, b] = await Promise.all([
      accepted(deliver(one)),
      accepted(deliver(one)),
      accepted(deliver(addMember(['wmExtUser00000000000000002'], 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'))),
    ]);
    expect(retry.dedupeKey).toBe(a.dedupeKey);
    expect(b.dedupeKey).not.toBe(a.dedupeKey);
    const rename = await accepted(
      deliver(
        chatXml('<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[change_name]]></UpdateDetail>'),
      ),
    );
    const notice = await accepted(
      deliver(
        chatXml('<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[change_notice]]></UpdateDetail>'),
      ),
    );
    expect(rename.dedupeKey).not.toBe(notice.dedupeKey);
    expect(rename.dedupeKey).toBe(`wecom:${CORP}:chat:update:${CHAT}:change_name:${NOW}:::::`);
    const later = await accepted(
      deliver(
        chatXml(
          '<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[change_name]]></UpdateDetail>',
          NOW + 1,
        ),
      ),
    );
    expect(later.dedupeKey).not.toBe(rename.dedupeKey);
  });

  it('refuses a payload without ChatId and a MemChangeList holding something other than Items (400)', async () => {
    expect(
      await rejectionOf(() =>
        deliver(chatXml('<ChangeType><![CDATA[create]]></ChangeType>').replace(/<ChatId>.*<\/ChatId>/, '')),
      ),
    ).toMatchObject({ status: 400, code: 'MALFORMED' });
    const odd = chatXml(
      '<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail><MemChangeList><User>x</User></MemChangeList>',
    );
    expect(await rejectionOf(() => deliver(odd))).toMatchObject({ status: 400, code: 'MALFORMED' });
  });
});
