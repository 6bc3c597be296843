import { formatCount, formatDate, formatDateTime, formatDaysAgo, formatFen } from '@shared/format';
import { ApiError } from './api/http';
import { i18n, t } from './i18n';
import { principal } from './session';
import { word } from './labels';

/** Dates, money and counts in the viewer's language and the brand's timezone (web/shared/format.ts). */
export const when = (iso: string | null | undefined): string => formatDateTime(iso, i18n.locale.value);
export const day = (iso: string | null | undefined): string => formatDate(iso, i18n.locale.value);
export const money = (fen: number | null | undefined): string => formatFen(fen, i18n.locale.value);
export const num = (n: number | null | undefined): string => formatCount(n, i18n.locale.value);
export const ago = (days: number | null | undefined): string => formatDaysAgo(days, i18n.locale.value);

/** `{ matched: 3, changed: 2 }` → `匹配 3，变更 2` (numbers, or the length of id lists; names from the catalog). */
export function counts(obj: unknown): string {
  if (!obj || typeof obj !== 'object') return '';
  return Object.entries(obj)
    .map(([k, v]): [string, number | null] => [k, typeof v === 'number' ? v : Array.isArray(v) ? v.length : null])
    .filter((e): e is [string, number] => e[1] !== null)
    .map(([k, v]) => `${word('countName', k)} ${num(v)}`)
    .join(t('list.separator'));
}

/**
 * What went wrong, for an alert: a 403 names the role, a 422 lists each problem of the validation answer
 * (joined by "; " by the tag and segment inputs), anything else the code and message.
 */
export function describeError(err: unknown, doing: string): { title: string; code?: string; lines: string[] } {
  if (!(err instanceof ApiError))
    return { title: t('error.generic', { doing }), lines: [err instanceof Error ? err.message : String(err)] };
  if (err.status === 403)
    return {
      title: t('error.forbidden', { role: word('role', principal.value?.role ?? ''), doing }),
      code: err.code,
      lines: [err.message],
    };
  const parts = err.message.split('; ');
  if (err.status === 422 && parts.length > 1)
    return { title: t('error.invalid', { doing }), code: err.code, lines: parts };
  return {
    title: t('error.failed', { doing, status: err.status || t('error.network') }),
    code: err.code,
    lines: [err.message],
  };
}
