import { zhCN } from '../../web/console/src/i18n/zh-CN';
import { actorLabel, evidenceSourceLabel } from '../../web/console/src/labels';

describe('console words for the identity page (Chinese, the default language)', () => {
  it('names where a merge came from: the known sources, else their family, else as sent', () => {
    expect(evidenceSourceLabel('refresh.wecom_contact')).toBe('重新读取企业微信客户详情');
    expect(evidenceSourceLabel('sync.oa_followers')).toBe('同步公众号粉丝');
    expect(evidenceSourceLabel('mp.phone')).toBe('小程序手机号授权');
    expect(evidenceSourceLabel('h5.oauth.snsapi_base')).toBe('H5 网页授权');
    expect(evidenceSourceLabel('oa.scan')).toBe('公众号回调');
    expect(evidenceSourceLabel('api-test')).toBe('api-test');
    expect(evidenceSourceLabel(null)).toBe('—');
  });

  it('names every kind of row a merge moves (merge.service.ts), so the moved counts have no raw key', () => {
    const kinds = [
      'identities',
      'customerTags',
      'wecomFollows',
      'oaSubscriptions',
      'events',
      'transactions',
      'refunds',
      'channelActivity',
      'customerChannels',
    ];
    const zh = zhCN as Record<string, string>;
    for (const k of kinds) expect([k, zh[`countName.${k}`]]).toEqual([k, expect.stringMatching(/\p{Script=Han}/u)]);
  });

  it('names who did something without the raw api: / job: / wecom: forms', () => {
    expect(actorLabel('api:demo-admin')).toBe('demo-admin');
    expect(actorLabel('job:nightly-syncs')).toBe('定时任务');
    expect(actorLabel('wechat')).toBe('微信');
    expect(actorLabel('cli')).toBe('命令行');
    expect(actorLabel('wecom:zhangsan', '张三')).toBe('张三');
    expect(actorLabel('wecom:zhangsan')).toBe('企业微信员工 zhangsan');
    expect(actorLabel('Ada Admin')).toBe('Ada Admin');
    expect(actorLabel(null)).toBe('—');
  });
});
