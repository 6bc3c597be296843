import type { WecomClient } from '../../../connectors/wecom/client';
import { gatewayAccounts } from '../../../emulator/control/apps.control';
import { silentLogger } from '../../../src/logger';
import { createClients } from '../../../src/tokens/clients';
import { testConfig } from '../../helpers/test-app';
import { useTestDatabase } from '../../helpers/describe-db';
import { startEmulatorClients, type EmulatorClients } from '../../tokens/emulator-clients';

describe('WecomClient OAuth, id conversion and tickets', () => {
  const db = useTestDatabase();
  let env: EmulatorClients;
  let wecom: WecomClient;
  let corpId: string;

  beforeAll(async () => {
    env = await startEmulatorClients(db.url);
    corpId = env.corpId();
    wecom = env.clients(db.ds).wecom(corpId);
  });
  afterAll(() => env.close());

  it('rejects a used OAuth code with INVALID_CODE', async () => {
    const staff = await wecom.contacts.getFollowUserList();
    const { code } = (await env.control.post(`/wecom/${corpId}/oauth-codes`, { userid: staff[0] })).data as {
      code: string;
    };
    await expect(wecom.identity.getUserInfoByCode(code)).resolves.toMatchObject({ userid: staff[0] });
    await expect(wecom.identity.getUserInfoByCode(code)).rejects.toMatchObject({
      errcode: 40029,
      category: 'INVALID_CODE',
      api: 'auth/getuserinfo',
    });
  });

  it('a customer visiting through OAuth comes back with openid and external_userid', async () => {
    const c = (await env.control.post(`/wecom/${corpId}/contacts`, { followerCount: 1 })).data as {
      personId: number;
      externalUserId: string;
    };
    const { code } = (await env.control.post(`/wecom/${corpId}/oauth-codes`, { personId: c.personId })).data as {
      code: string;
    };
    await expect(wecom.identity.getUserInfoByCode(code)).resolves.toMatchObject({
      openid: expect.any(String),
      external_userid: c.externalUserId,
    });
  });

  it('converts an MP unionid+openid to the external_userid of a customer, else to a pending_id', async () => {
    const mp = env.clients(db.ds).mp(env.mpAppId());
    const loginOf = async (personId: number) => {
      const { code } = (await env.control.post(`/mp/${env.mpAppId()}/js-codes`, { personId })).data as { code: string };
      return mp.code2Session(code);
    };
    const customer = (await env.control.post(`/wecom/${corpId}/contacts`, { followerCount: 1 })).data as {
      personId: number;
      externalUserId: string;
    };
    const a = await loginOf(customer.personId);
    expect(a.unionid).toEqual(expect.any(String));
    await expect(wecom.identity.unionidToExternalUserid(a.unionid!, a.openid)).resolves.toEqual({
      external_userid: customer.externalUserId,
    });

    const stranger = (await env.control.post(`/mp/${env.mpAppId()}/users`, {})).data as { personId: number };
    const b = await loginOf(stranger.personId);
    await expect(wecom.identity.unionidToExternalUserid(b.unionid!, b.openid)).resolves.toEqual({
      pending_id: expect.any(String),
    });
  });

  it('agentConfig tickets need the agent secret: NOT_CONFIGURED without it', async () => {
    const accounts = gatewayAccounts(env.emu.state, env.emu.url).map((a) => {
      if (a.kind !== 'wecom') return a;
      const { agentSecret: _drop, ...rest } = a;
      return rest;
    });
    const clients = createClients({ ds: db.ds, config: testConfig(db.url, { accounts }), logger: silentLogger() });
    const noAgent = clients.wecom(corpId);
    expect(() => noAgent.agentConfigTicket()).toThrow(expect.objectContaining({ code: 'NOT_CONFIGURED' }));
    await expect(noAgent.jsapiTicket()).resolves.toEqual(expect.any(String));
  });
});
