import { readFileSync, readdirSync, statSync } from 'fs';
import path from 'path';
import { webRoot } from '../../src/http/web-assets';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

const source = path.join(webRoot(), 'console', 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('console page served by the gateway', () => {
  const db = useTestDatabase();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(db.ds, testConfig(db.url));
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the built /console with a CSP that allows no inline script or style', async () => {
    const res = await t.request('/console');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.text).toContain('lang="zh-CN"');
    // Inline code would be blocked by that CSP: every script and style is an asset file.
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('serves every asset the page names (script, styles, favicon) from the gateway, none from elsewhere', async () => {
    const html = (await t.request('/console')).text;
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.some((r) => /\/console\/assets\/.+\.js$/.test(r))).toBe(true);
    expect(refs.some((r) => /\/console\/assets\/.+\.css$/.test(r))).toBe(true);
    expect(refs.some((r) => /\/console\/assets\/favicon.+\.svg$/.test(r))).toBe(true);
    for (const ref of refs) {
      expect(ref.startsWith('/console/assets/')).toBe(true);
      const res = await t.request(ref);
      expect([ref, res.status]).toEqual([ref, 200]);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    const missing = await t.request('/console/assets/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: expect.any(String) } });
  });

  it('renders API data only through Vue text bindings, never as HTML', () => {
    for (const f of filesUnder(source)) {
      const src = readFileSync(f, 'utf8');
      expect([
        path.relative(source, f),
        src.match(/v-html|innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/g),
      ]).toEqual([path.relative(source, f), null]);
    }
  });

  it('keeps the API key in sessionStorage only, never logged, in localStorage or in a cookie', () => {
    for (const f of filesUnder(source)) {
      const src = readFileSync(f, 'utf8');
      const rel = path.relative(source, f);
      expect([rel, /console\.(log|info|debug|warn|error)|localStorage|document\.cookie/.test(src)]).toEqual([
        rel,
        false,
      ]);
      if (rel !== 'session.ts') expect([rel, src.includes('sessionStorage')]).toEqual([rel, false]);
    }
  });
});
