import en from '../../web/sidebar/src/i18n/en';
import zhCN from '../../web/sidebar/src/i18n/zh-CN';

describe('sidebar message catalogs (web/sidebar/src/i18n)', () => {
  it('have the same keys in zh-CN and en, none empty', () => {
    const zhKeys = Object.keys(zhCN).sort();
    const enKeys = Object.keys(en).sort();
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([]);
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
    const blank = (c: Record<string, string>) =>
      Object.entries(c)
        .filter(([, v]) => v.trim() === '')
        .map(([k]) => k);
    expect([...blank(zhCN), ...blank(en)]).toEqual([]);
  });

  it('use the same {parameters} in both languages', () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const differ = Object.keys(zhCN).filter(
      (k) =>
        JSON.stringify(params(zhCN[k as keyof typeof zhCN])) !== JSON.stringify(params(en[k as keyof typeof en] ?? '')),
    );
    expect(differ).toEqual([]);
  });
});
