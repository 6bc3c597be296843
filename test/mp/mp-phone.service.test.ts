import type { MiniProgramClient } from '../../connectors/mini-program/client';
import type { PhoneNumber } from '../../connectors/mini-program/client-types';
import { WechatApiError } from '../../connectors/common/http/wechat-api-error';
import { SessionTokens } from '../../src/auth/session-token';
import { errorAnswer } from '../../src/http/middleware/error-answer';
import { MpPhoneService } from '../../src/mp/mp-phone.service';
import { useTestDatabase } from '../helpers/describe-db';
import { testConfig } from '../helpers/test-app';
import { createIdentityService } from '../../src/identity/identity.service';

const APP = 'wxmp0000000000001';

/** The status and code the error middleware answers a refusal with. */
const answerOf = (e: unknown) => {
  const a = errorAnswer(e);
  return [a.status, a.body.error.code];
};

describe('MpPhoneService', () => {
  const db = useTestDatabase();
  let answer: () => Promise<PhoneNumber>;
  const service = () => {
    const config = testConfig(db.url, {
      accounts: [{ kind: 'mini-program', appId: APP, appSecret: 's', apiBase: 'http://127.0.0.1:9' }],
      security: { dataKey: '22'.repeat(32) },
    });
    const identity = createIdentityService({ config, now: () => Date.now() });
    const mp = () => ({ getUserPhoneNumber: () => answer() }) as unknown as MiniProgramClient;
    return {
      svc: new MpPhoneService({ ds: db.ds, config, mp, identity, tokens: new SessionTokens('x-secret') }),
      identity,
    };
  };
  const session = { ch: 'mp' as const, app: APP, oid: 'o-visitor-1' };

  it('refuses an H5 session and a token of another Mini Program before calling WeChat', async () => {
    answer = () => Promise.reject(new Error('must not be called'));
    const { svc } = service();
    expect(answerOf(await svc.link(APP, { ...session, ch: 'h5' }, 'c').catch((e: unknown) => e))).toEqual([
      403,
      'WRONG_APP',
    ]);
    await expect(svc.link(APP, { ...session, app: 'wxother' }, 'c')).rejects.toMatchObject({ code: 'WRONG_APP' });
    expect(answerOf(await svc.link('wxnope', session, 'c').catch((e: unknown) => e))).toEqual([
      404,
      'ACCOUNT_NOT_FOUND',
    ]);
  });

  it('refuses a number watermarked for another app, and maps WeChat refusals', async () => {
    const { svc } = service();
    answer = async () => ({
      phoneNumber: '13800138000',
      purePhoneNumber: '13800138000',
      countryCode: '86',
      watermarkAppId: 'wxsomeoneelse',
    });
    await expect(svc.link(APP, session, 'c')).rejects.toMatchObject({ code: 'INVALID_CODE' });
    answer = () =>
      Promise.reject(
        new WechatApiError({
          api: 'wxa/business/getuserphonenumber',
          errcode: -1,
          errmsg: 'system error',
          category: 'TEMPORARY',
          retryable: true,
        }),
      );
    expect(answerOf(await svc.link(APP, session, 'c').catch((e: unknown) => e))).toEqual([502, 'WECHAT_UNAVAILABLE']);
  });

  it('stores mainland numbers without +86 and others with their country code', async () => {
    const { svc, identity } = service();
    answer = async () => ({
      phoneNumber: '+8613800138000',
      purePhoneNumber: '13800138000',
      countryCode: '86',
      watermarkAppId: APP,
    });
    const cn = await svc.link(APP, session, 'c1');
    expect(cn).toEqual({ customerId: expect.any(String), phone: '138****8000', verified: true });
    await expect(
      identity.findCustomerId(db.ds, { type: 'phone', scope: 'default', value: '13800138000' }),
    ).resolves.toBe(cn.customerId);

    answer = async () => ({ phoneNumber: '+14155550123', purePhoneNumber: '4155550123', countryCode: '1' });
    const us = await svc.link(APP, { ...session, oid: 'o-visitor-2' }, 'c2');
    expect(us.phone).toBe('+141****0123');
    await expect(
      identity.findCustomerId(db.ds, { type: 'phone', scope: 'default', value: '+14155550123' }),
    ).resolves.toBe(us.customerId);
  });
});
