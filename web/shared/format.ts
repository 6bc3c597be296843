import type { Locale } from './locale';

/** Times are shown in the brand's timezone (config `server.timezone`, default Asia/Shanghai), in the viewer's language. */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

export function formatDateTime(iso: string | null | undefined, locale: Locale, timeZone = DEFAULT_TIMEZONE): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

export function formatDate(iso: string | null | undefined, locale: Locale, timeZone = DEFAULT_TIMEZONE): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** WeChat Pay amounts are integer fen (wechat-api.md, Pay): shown as yuan with the ¥ sign. */
export function formatFen(fen: number | null | undefined, locale: Locale): string {
  if (fen === null || fen === undefined) return '—';
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' }).format(
    fen / 100,
  );
}

export function formatCount(n: number | null | undefined, locale: Locale): string {
  return n === null || n === undefined ? '—' : new Intl.NumberFormat(locale).format(n);
}

/**
 * How long ago, in days, as the viewer's language says it ("今天", "昨天", "3天前"). A date in the future (a
 * server or test clock ahead of the viewer's) reads as today: never a negative number of days.
 */
export function formatDaysAgo(days: number | null | undefined, locale: Locale): string {
  if (days === null || days === undefined || !Number.isFinite(days)) return '—';
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-Math.max(0, Math.floor(days)), 'day');
}
