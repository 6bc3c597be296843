import { bestName } from '../../src/customers/best-name';

/** The best-known name rule (README "Names instead of ids"): the first source that has a value wins. */
describe('best-known customer name', () => {
  const id = '0190f1e2-3a4b-7c5d-8e9f-0123456789ab';
  const base = { id, displayName: null, follows: [], subscriptions: [], identities: [] };
  const oa = { type: 'oa_openid', scope: 'wxapp', value: 'oAbCdEfGhIjKlMn_x9Qa' };
  const wecom = { type: 'wecom_external_userid', scope: 'wwcorp', value: 'wmAbCdEfGh1234' };

  it('takes the display name first, trimmed', () => {
    expect(bestName({ ...base, displayName: ' 王芳 ', follows: [{ remark: '老客户', deleted: false }] })).toEqual({
      name: '王芳',
      nameSource: 'displayName',
    });
  });

  it('then a WeCom remark, live relations before ended ones, then the OA remark', () => {
    const follows = [
      { remark: '旧备注', deleted: true },
      { remark: '  ', deleted: false },
      { remark: '新客户', deleted: false },
    ];
    expect(bestName({ ...base, follows, subscriptions: [{ remark: '公众号备注' }] })).toEqual({
      name: '新客户',
      nameSource: 'wecomRemark',
    });
    expect(bestName({ ...base, follows: [{ remark: '旧备注', deleted: true }] })).toEqual({
      name: '旧备注',
      nameSource: 'wecomRemark',
    });
    expect(
      bestName({ ...base, follows: [{ remark: null, deleted: false }], subscriptions: [{ remark: '公众号备注' }] }),
    ).toEqual({ name: '公众号备注', nameSource: 'oaRemark' });
  });

  it('then the channel, WeCom before OA, with the last four characters of that id', () => {
    expect(bestName({ ...base, identities: [oa, wecom] })).toEqual({
      name: '企业微信客户 …1234',
      nameSource: 'channel',
    });
    expect(bestName({ ...base, identities: [oa] })).toEqual({ name: '公众号粉丝 …x9Qa', nameSource: 'channel' });
    expect(bestName({ ...base, identities: [{ type: 'external_id', scope: 'crm', value: 'C-100042' }] })).toEqual({
      name: 'crm 客户 …0042',
      nameSource: 'channel',
    });
  });

  it('never a UUID: a customer with nothing else is 客户 with the end of its id', () => {
    expect(bestName(base)).toEqual({ name: '客户 …89ab', nameSource: 'id' });
  });
});
