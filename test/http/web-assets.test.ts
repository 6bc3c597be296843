import Koa from 'koa';
import { mkdtempSync, mkdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import type { Server } from 'http';
import { contentSecurityPolicy, webPageRouter, webRoot } from '../../src/http/web-assets';

async function serve(
  root: string,
): Promise<{ get(p: string, headers?: Record<string, string>): Promise<Response>; close(): void }> {
  const koa = new Koa();
  koa.use(webPageRouter({ page: 'demo', scriptSources: ['https://res.wx.qq.com'] }, root).routes());
  const server: Server = await new Promise((resolve) => {
    const s = koa.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    get: (p, headers = {}) => fetch(base + p, { headers }),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('web page router', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'siyu-web-'));
  mkdirSync(path.join(root, 'demo'));
  mkdirSync(path.join(root, 'secret'));
  writeFileSync(path.join(root, 'demo', 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(path.join(root, 'demo', 'app.js'), 'export {};');
  writeFileSync(path.join(root, 'secret', 'key.js'), 'leak');
  mkdirSync(path.join(root, 'shared'));
  writeFileSync(path.join(root, 'shared', 'http.js'), 'export {};');

  it('refuses asset names that could leave the page folder', async () => {
    const app = await serve(root);
    for (const p of [
      '/demo/assets/..%2Fsecret%2Fkey.js',
      '/demo/assets/.hidden.js',
      '/demo/assets/app.ts',
      '/demo/assets/..%2F..%2Fpackage.json',
    ]) {
      const res = await app.get(p);
      expect([p, res.status]).toEqual([p, 404]);
    }
    app.close();
  });

  it('serves the page with its CSP and the assets with their types and an ETag', async () => {
    const app = await serve(root);
    const page = await app.get('/demo');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self' https://res.wx.qq.com");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await app.get('/demo/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const again = await app.get('/demo/assets/app.js', { 'If-None-Match': String(js.headers.get('etag')) });
    expect(again.status).toBe(304);
    expect((await app.get('/demo/assets/missing.js')).status).toBe(404);
    expect((await app.get('/demo/assets/http.js')).status).toBe(200);
    app.close();
  });

  it('serves a Vite-built page from web/dist/<page> with its hashed assets, without the hand-written shared folder', async () => {
    mkdirSync(path.join(root, 'dist', 'built', 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'built', 'index.html'), '<!doctype html><title>built</title>');
    writeFileSync(path.join(root, 'dist', 'built', 'assets', 'index-B3x_Qz9a.js'), 'export {};');
    writeFileSync(path.join(root, 'dist', 'built', 'assets', 'inter-latin.woff2'), 'font');
    const koa = new Koa();
    koa.use(webPageRouter({ page: 'built', built: true }, root).routes());
    const server: Server = await new Promise((resolve) => {
      const s = koa.listen(0, '127.0.0.1', () => resolve(s));
    });
    const addr = server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    try {
      expect(await (await fetch(`${base}/built`)).text()).toContain('built');
      const js = await fetch(`${base}/built/assets/index-B3x_Qz9a.js`);
      expect(js.status).toBe(200);
      expect((await fetch(`${base}/built/assets/inter-latin.woff2`)).headers.get('content-type')).toBe('font/woff2');
      expect((await fetch(`${base}/built/assets/http.js`)).status).toBe(404);
      expect((await fetch(`${base}/built/assets/..%2Findex.html`)).status).toBe(404);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('finds web/ of the package and builds a CSP without inline script', () => {
    expect(path.basename(webRoot())).toBe('web');
    expect(contentSecurityPolicy({})).not.toContain('unsafe-inline');
  });
});
