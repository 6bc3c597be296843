import type { MiniProgramClient } from '../../../connectors/mini-program/client';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

describe('MiniProgramClient', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let mp: MiniProgramClient;
  let appId: string;

  beforeAll(async () => {
    env = await startEmulatorClients(db.url);
    appId = env.mpAppId();
    mp = env.clients(db.ds).mp(appId);
  });
  afterAll(() => env.close());
  beforeEach(() => env.resetCounters());

  it('rejects a reused js_code with INVALID_CODE, without touching the shared token', async () => {
    const { code } = (await env.control.post(`/mp/${appId}/js-codes`, {})).data as { code: string };
    await mp.code2Session(code);
    await expect(mp.code2Session(code)).rejects.toMatchObject({
      errcode: 40029,
      category: 'INVALID_CODE',
      api: 'jscode2session',
    });
    expect((await env.calls('api.weixin.qq.com/cgi-bin/stable_token')).calls).toBe(0);
  });

  it('maps a blocked login (40226) to PERMISSION_DENIED', async () => {
    const { code } = (await env.control.post(`/mp/${appId}/js-codes`, { blocked: true })).data as { code: string };
    await expect(mp.code2Session(code)).rejects.toMatchObject({ errcode: 40226, category: 'PERMISSION_DENIED' });
  });

  it('code2Session returns openid, session_key and the unionid of a bound MP', async () => {
    const minted = (await env.control.post(`/mp/${appId}/js-codes`, {})).data as { code: string; openid: string };
    const s = await mp.code2Session(minted.code);
    expect(s).toMatchObject({ openid: minted.openid, session_key: expect.any(String), unionid: expect.any(String) });
  });

  it('getUserPhoneNumber sends the code as JSON with the shared token and normalises countryCode to a string', async () => {
    const minted = (await env.control.post(`/mp/${appId}/phone-codes`, { phone: '13800138000' })).data as {
      code: string;
      openid: string;
    };
    const phone = await mp.getUserPhoneNumber(minted.code, minted.openid);
    expect(phone).toEqual({
      phoneNumber: '13800138000',
      purePhoneNumber: '13800138000',
      countryCode: '86',
      watermarkAppId: appId,
      watermarkTimestamp: expect.any(Number),
    });
    expect((await env.calls('api.weixin.qq.com/cgi-bin/stable_token')).calls).toBe(1);
    await expect(mp.getUserPhoneNumber(minted.code)).rejects.toMatchObject({
      errcode: 40029,
      category: 'INVALID_CODE',
    });
  });
});
