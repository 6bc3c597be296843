import { createI18n } from '@shared/i18n';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

/** The console's catalogs (zh-CN first): `t` everywhere, `locale` for Element Plus, dates and charts. */
export const i18n = createI18n<MessageKey>({ 'zh-CN': zhCN, en });
export const t = i18n.t;
export type { MessageKey };
