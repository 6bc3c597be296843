/** The two languages of the screens (DESIGN §8.2): Chinese first, English by a switch kept per browser. */
export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
