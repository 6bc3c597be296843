import type { Middleware } from 'koa';
import { errorAnswer } from '../http/middleware/error-answer';
import type { Logger } from '../logger';

const TITLES: Record<number, string> = {
  400: 'Sign-in failed',
  401: 'Sign-in required',
  403: 'Sign-in refused',
  404: 'Not found',
  429: 'Too many attempts',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function errorPage(status: number, code: string, message: string): string {
  const title = TITLES[status] ?? (status >= 500 ? 'Service unavailable' : 'Sign-in failed');
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head><body>`,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><small>${escapeHtml(code)}</small></p>`,
    '</body></html>',
  ].join('');
}

/** How one family of browser routes words its refusal page. */
export interface BrowserErrorPage {
  render(status: number, code: string, message: string): string;
  /** Shown instead of an unexpected failure's message, whose internals stay hidden. */
  internalMessage: string;
  /** The log line for failures worth logging. */
  logMessage: string;
}

const H5_PAGE: BrowserErrorPage = {
  render: errorPage,
  internalMessage: 'Something went wrong on our side. Please try again.',
  logMessage: 'browser request failed',
};

/**
 * Browser routes (H5 login, OAuth callbacks, the console's sign-in) answer refusals with a readable HTML page and
 * the refusal's status (400 for a reused/expired code or a bad state, never a 500 for those); a client that asks
 * for JSON and not HTML gets the usual `{error:{code,message}}`. Unexpected failures are logged and shown as a
 * generic page, internals hidden. The page runs no script, so its policy allows none.
 */
export function browserErrors(logger: Logger, page: BrowserErrorPage = H5_PAGE): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (ctx.accepts('html', 'json') === 'json') throw err;
      const { status, body, log } = errorAnswer(err);
      const message = status === 500 ? page.internalMessage : body.error.message;
      if (log !== 'none') logger[log]({ err, requestId: ctx.state.requestId, path: ctx.path }, page.logMessage);
      ctx.status = status;
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Content-Security-Policy', "default-src 'none'; base-uri 'none'; form-action 'self'");
      ctx.body = page.render(status, body.error.code, message);
    }
  };
}
