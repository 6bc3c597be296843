import Router from '@koa/router';
import type { Context } from 'koa';
import { existsSync } from 'fs';
import { readFile, stat } from 'fs/promises';
import path from 'path';

/**
 * The browser pages of DESIGN §2 `web/` (the WeCom sidebar, the operator console), served by the gateway as
 * written: `web/<page>/index.html` at `/<page>` and flat asset files (`app.js`, `style.css`, …) at
 * `/<page>/assets/<file>`, from the page's folder or else `web/shared/`. Asset names are matched against a strict pattern, so no request can name a path
 * outside the page's folder. Every response carries a Content-Security-Policy (scripts only from the gateway,
 * plus what the page lists, e.g. WeChat's JS-SDK), nosniff and no-referrer; `no-cache` with an ETag lets a
 * browser reuse a file until it changes.
 */
export interface WebPageOptions {
  /** Folder name under `web/` and URL prefix: `console` → `/console`. */
  page: string;
  /** Extra `script-src` origins (WeChat's JS-SDK host, an emulator). */
  scriptSources?: readonly string[];
  /** Extra `connect-src` origins. */
  connectSources?: readonly string[];
  /** More paths answering the page's index.html (its own screens, like `/console/login`). */
  paths?: readonly string[];
  /** Built by Vite (web/<page>/vite.config.mjs): served from `web/dist/<page>`, hashed assets under `assets/`. */
  built?: boolean;
}

const ASSET = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.(js|css|svg|png|ico|json|woff2?|ttf)$/;
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  json: 'application/json; charset=utf-8',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
};

/** `web/` of this package, found from both `src/` (tests) and `dist/src/` (built). */
export function webRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'web'))) return path.join(dir, 'web');
    dir = path.dirname(dir);
  }
  throw new Error(`web/ not found above ${__dirname}`);
}

export function contentSecurityPolicy(opts: Pick<WebPageOptions, 'scriptSources' | 'connectSources'>): string {
  const scripts = ["'self'", ...(opts.scriptSources ?? [])].join(' ');
  const connect = ["'self'", ...(opts.connectSources ?? [])].join(' ');
  return `default-src 'self'; script-src ${scripts}; connect-src ${connect}; img-src 'self' data: https:; style-src 'self'; frame-ancestors 'self' https://*.qq.com; base-uri 'none'; form-action 'self'`;
}

/** A router serving one page of `web/`; unknown assets are the gateway's JSON 404. */
export function webPageRouter(opts: WebPageOptions, root: string = webRoot()): Router {
  const dir = opts.built ? path.join(root, 'dist', opts.page) : path.join(root, opts.page);
  const assets = opts.built ? path.join(dir, 'assets') : dir;
  const csp = contentSecurityPolicy(opts);
  const router = new Router();

  const shared = path.join(root, 'shared');
  const serve = async (ctx: Context, file: string, from: string): Promise<void> => {
    const full = path.join(from, file);
    let info;
    try {
      info = await stat(full);
    } catch {
      return; // falls through to the 404 handler
    }
    if (!info.isFile()) return;
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    ctx.set('Content-Security-Policy', csp);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('ETag', etag);
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.set('Content-Type', TYPES[path.extname(file).slice(1)] ?? 'application/octet-stream');
    ctx.body = await readFile(full);
  };

  for (const p of [`/${opts.page}`, ...(opts.paths ?? [])]) router.get(p, (ctx) => serve(ctx, 'index.html', dir));
  router.get(`/${opts.page}/assets/:file`, async (ctx) => {
    const file = ctx.params.file ?? '';
    if (!ASSET.test(file)) return;
    await serve(ctx, file, assets);
    // Modules every hand-written page shares (web/shared: the JSON client) are assets of each page.
    if (!opts.built && ctx.status === 404 && ctx.body === undefined) await serve(ctx, file, shared);
  });
  return router;
}
