import { ref, type Ref } from 'vue';
import { LOCALES, type Locale } from './locale';

export { LOCALES, type Locale };

const STORAGE_KEY = 'siyu.locale';

/**
 * The browser globals this file touches, typed here rather than through the DOM library, so the pages' labels
 * and formatters also load in the node tests (where neither global exists and Chinese stays the language).
 */
const browser = globalThis as {
  localStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  document?: { documentElement: { lang: string } };
};

/** A catalog is flat keys → text; `{name}` marks a parameter. */
export type Catalog = Record<string, string>;

export interface I18n<K extends string> {
  locale: Ref<Locale>;
  t(key: K, params?: Record<string, string | number>): string;
  setLocale(next: Locale): void;
}

function storedLocale(): Locale {
  try {
    const saved = browser.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // Storage can be blocked (private windows, WeCom's webview settings): Chinese stays the default.
  }
  return 'zh-CN';
}

/**
 * The English catalog must have every key of the Chinese one (the type says so, and a test reads both files):
 * a missing key fails the build instead of showing a raw key to an operator.
 */
export function createI18n<K extends string>(catalogs: { 'zh-CN': Record<K, string>; en: Record<K, string> }): I18n<K> {
  const locale = ref<Locale>(storedLocale());
  return {
    locale,
    t(key, params) {
      const text = catalogs[locale.value][key] ?? catalogs['zh-CN'][key] ?? key;
      if (!params) return text;
      return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
    },
    setLocale(next) {
      locale.value = next;
      try {
        browser.localStorage?.setItem(STORAGE_KEY, next);
      } catch {
        // Not kept across visits when storage is blocked; the switch still applies to this page.
      }
      if (browser.document) browser.document.documentElement.lang = next;
    },
  };
}
