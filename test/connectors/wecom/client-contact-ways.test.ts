import type { WecomClient } from '../../../connectors/wecom/client';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

const ADD = 'qyapi.weixin.qq.com/cgi-bin/externalcontact/add_contact_way';
const WELCOME = 'qyapi.weixin.qq.com/cgi-bin/externalcontact/send_welcome_msg';

describe('WecomClient contact ways and welcome messages', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let wecom: WecomClient;
  let corpId: string;
  let staff: string[];

  beforeAll(async () => {
    env = await startEmulatorClients(db.url, { wecomStaff: 4, wecomContacts: 10 });
    corpId = env.corpId();
    wecom = env.clients(db.ds).wecom(corpId);
    staff = (await env.control.get(`/state/wecom/${corpId}/staff`)).data.staff
      .filter((s: { contactFeature: boolean }) => s.contactFeature)
      .map((s: { userid: string }) => s.userid);
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetCounters());

  it('adds, reads, updates and deletes a contact way; a deleted one is NOT_FOUND', async () => {
    const way = await wecom.contactWays.addContactWay({
      type: 1,
      scene: 2,
      state: 'storeA',
      remark: '门店A',
      user: [staff[0]!],
    });
    expect(way).toEqual({ configId: expect.stringMatching(/^[0-9a-f]{32}$/), qrCode: expect.any(String) });
    expect(await wecom.contactWays.getContactWay(way.configId)).toEqual({
      configId: way.configId,
      type: 1,
      scene: 2,
      remark: '门店A',
      skipVerify: true,
      state: 'storeA',
      qrCode: way.qrCode,
      user: [staff[0]],
      party: [],
    });
    await wecom.contactWays.updateContactWay(way.configId, { state: 'storeB', user: [staff[1]!], skipVerify: false });
    expect(await wecom.contactWays.getContactWay(way.configId)).toMatchObject({
      state: 'storeB',
      user: [staff[1]],
      skipVerify: false,
      remark: '门店A',
    });
    await wecom.contactWays.deleteContactWay(way.configId);
    await expect(wecom.contactWays.getContactWay(way.configId)).rejects.toMatchObject({
      errcode: 41044,
      category: 'NOT_FOUND',
    });
  });

  it('refuses a state over 30 characters or a single-member way without one user before calling WeCom', async () => {
    await expect(
      wecom.contactWays.addContactWay({ type: 1, scene: 2, state: 's'.repeat(31), user: [staff[0]!] }),
    ).rejects.toMatchObject({ errcode: 40058, category: 'INVALID_REQUEST' });
    await expect(wecom.contactWays.addContactWay({ type: 1, scene: 2, user: [] })).rejects.toMatchObject({
      errcode: 40058,
    });
    expect((await env.calls(ADD)).calls).toBe(0);
    await expect(
      wecom.contactWays.addContactWay({ type: 2, scene: 1, style: 3, user: [staff[0]!] }),
    ).rejects.toMatchObject({ errcode: 41042, category: 'INVALID_REQUEST' });
  });

  it('sends a welcome message with the code of the add event once; a used or expired code is INVALID_CODE', async () => {
    const way = await wecom.contactWays.addContactWay({ type: 1, scene: 2, state: 'welcome', user: [staff[0]!] });
    const add = (await env.control.post(`/wecom/${corpId}/contact-ways/${way.configId}/add`, { notify: false })).data;
    await wecom.contactWays.sendWelcomeMessage(add.welcomeCode, {
      text: '您好，欢迎',
      attachments: [{ msgtype: 'link', link: { title: '礼包', url: 'https://example.com/g' } }],
    });
    const sent = (await env.control.get(`/state/wecom/${corpId}/welcome-messages`)).data.sent;
    expect(sent).toEqual([
      expect.objectContaining({
        welcomeCode: add.welcomeCode,
        userid: staff[0],
        externalUserId: add.externalUserId,
        text: '您好，欢迎',
      }),
    ]);
    await expect(wecom.contactWays.sendWelcomeMessage(add.welcomeCode, { text: 'again' })).rejects.toMatchObject({
      errcode: 41051,
      category: 'INVALID_CODE',
      retryable: false,
    });

    const late = (await env.control.post(`/wecom/${corpId}/contact-ways/${way.configId}/add`, { notify: false })).data;
    await env.control.post('/clock/advance', { seconds: 21 });
    await expect(wecom.contactWays.sendWelcomeMessage(late.welcomeCode, { text: 'late' })).rejects.toMatchObject({
      errcode: 41050,
      category: 'INVALID_CODE',
    });
    await expect(wecom.contactWays.sendWelcomeMessage(late.welcomeCode, {})).rejects.toMatchObject({ errcode: 40058 });
    // three reached WeCom (sent, used, expired); the empty message never left
    expect((await env.calls(WELCOME)).calls).toBe(3);
  });
});
