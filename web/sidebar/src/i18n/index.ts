import { createI18n } from '@shared/i18n';
import en from './en';
import zhCN, { type MessageKey } from './zh-CN';

export type { MessageKey };

/** One i18n for the page (Chinese unless this browser chose English, web/shared/i18n.ts). */
export const i18n = createI18n<MessageKey>({ 'zh-CN': zhCN, en });

/** A key built from data (a scene, an add_way, an order state): its text when the catalog has it, else the fallback. */
export function tKnown(key: string, fallback: string, params?: Record<string, string | number>): string {
  return key in zhCN ? i18n.t(key as MessageKey, params) : fallback;
}
