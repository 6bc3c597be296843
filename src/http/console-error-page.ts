import type { Middleware } from 'koa';
import { browserErrors, escapeHtml } from '../h5/browser-errors.middleware';
import type { Logger } from '../logger';

const TITLES: Record<number, [string, string]> = {
  400: ['登录失败', 'Sign-in failed'],
  401: ['需要登录', 'Sign-in required'],
  403: ['无权访问控制台', 'No access to the console'],
  404: ['未配置', 'Not set up'],
  429: ['尝试次数过多', 'Too many attempts'],
};

/** The console's refusal page: Chinese first, English beside it, a link back to the sign-in page. */
export function consoleErrorPage(status: number, code: string, message: string): string {
  const [zh, en] = TITLES[status] ?? (status >= 500 ? ['服务暂不可用', 'Service unavailable'] : TITLES[400]!);
  return [
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${escapeHtml(zh)} · Siyu</title></head><body>`,
    `<h1>${escapeHtml(zh)} <small lang="en">${escapeHtml(en)}</small></h1>`,
    `<p id="message">${escapeHtml(message)}</p><p><small>${escapeHtml(code)}</small></p>`,
    '<p><a href="/console/login">重新登录 · Sign in again</a></p>',
    '</body></html>',
  ].join('');
}

/** The console's browser sign-in routes refuse (a stranger, a bad state, a replayed code) with that page. */
export function consoleBrowserErrors(logger: Logger): Middleware {
  return browserErrors(logger, {
    render: consoleErrorPage,
    internalMessage: '出错了，请稍后再试。 Something went wrong; please try again.',
    logMessage: 'console sign-in failed',
  });
}
