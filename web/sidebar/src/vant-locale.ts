import { Locale as VantLocale } from 'vant';
import enUS from 'vant/es/locale/lang/en-US';
import zhCN from 'vant/es/locale/lang/zh-CN';
import { watchEffect } from 'vue';
import type { Locale } from '@shared/i18n';

/** Vant's own texts (loading, empty states) follow the page's language. */
export function followLocale(locale: { value: Locale }): void {
  watchEffect(() => {
    if (locale.value === 'en') VantLocale.use('en-US', enUS);
    else VantLocale.use('zh-CN', zhCN);
    document.documentElement.lang = locale.value;
  });
}
