import type { Middleware } from 'koa';
import type { Logger } from '../logger';
import { errorAnswer } from './middleware/error-answer';

const TITLES: Record<number, [string, string]> = {
  400: ['登录失败', 'Sign-in failed'],
  401: ['需要登录', 'Sign-in required'],
  403: ['无权访问控制台', 'No access to the console'],
  404: ['未配置', 'Not set up'],
  429: ['尝试次数过多', 'Too many attempts'],
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

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

/**
 * The console's browser sign-in routes answer refusals (a stranger, a bad state, a replayed code) with that page
 * and the refusal's status; a client asking for JSON gets `{error:{code,message}}`. Internals stay hidden.
 */
export function consoleBrowserErrors(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (ctx.accepts('html', 'json') === 'json') throw err;
      const { status, body, log } = errorAnswer(err);
      const message =
        status === 500 ? '出错了，请稍后再试。 Something went wrong; please try again.' : body.error.message;
      if (log !== 'none')
        logger[log]({ err, requestId: ctx.state.requestId, path: ctx.path }, 'console sign-in failed');
      ctx.status = status;
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Content-Security-Policy', "default-src 'none'; base-uri 'none'; form-action 'self'");
      ctx.body = consoleErrorPage(status, body.error.code, message);
    }
  };
}
