import { SYNC_RESOURCES } from '../../src/syncs/sync-types';
import { en } from '../../web/console/src/i18n/en';
import { zhCN } from '../../web/console/src/i18n/zh-CN';

const params = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('console message catalogs', () => {
  it('have the same keys in Chinese and English', () => {
    const zhKeys = Object.keys(zhCN).sort();
    const enKeys = Object.keys(en).sort();
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([]);
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
  });

  it('have no empty text and the same parameters for each key in both languages', () => {
    const zh = zhCN as Record<string, string>;
    const english = en as Record<string, string>;
    for (const key of Object.keys(zh)) {
      expect([key, zh[key]!.trim().length > 0, english[key]!.trim().length > 0]).toEqual([key, true, true]);
      expect([key, params(english[key]!)]).toEqual([key, params(zh[key]!)]);
    }
  });

  it('names every resource a sync reads (the overview and 数据同步 pages show them)', () => {
    const zh = zhCN as Record<string, string>;
    for (const r of SYNC_RESOURCES)
      expect([r, zh[`resource.${r}`]]).toEqual([r, expect.stringMatching(/\p{Script=Han}/u)]);
  });

  it('words the WeChat codes operators meet (OA subscribe scenes, WeCom add ways) in Chinese', () => {
    const zh = zhCN as Record<string, string>;
    expect(zh['scene.ADD_SCENE_SEARCH']).toBe('搜索公众号');
    for (const scene of [
      'ADD_SCENE_QR_CODE',
      'ADD_SCENE_PROFILE_CARD',
      'ADD_SCENE_PAID',
      'ADD_SCENE_WECHAT_ADVERTISEMENT',
      'ADD_SCENE_OTHERS',
    ])
      expect(zh[`scene.${scene}`]).toMatch(/\p{Script=Han}/u);
    for (const way of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 201, 202]) expect(zh[`addWay.${way}`]).toMatch(/\p{Script=Han}/u);
  });
});
