import { readFileSync, readdirSync } from 'fs';
import path from 'path';
import { webRoot } from '../../src/http/web-assets';
import { useTestDatabase } from '../helpers/describe-db';
import { startTestApp, testConfig, type TestApp } from '../helpers/test-app';

const dir = path.join(webRoot(), 'console');
const scripts = readdirSync(dir).filter((f) => f.endsWith('.js'));

/** Relative module imports of a console script (`import … from './x.js'`). */
function importsOf(file: string): string[] {
  return [...readFileSync(path.join(dir, file), 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*from\s+'\.\/([^']+)'/gm)].map((m) => m[1]!);
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

  it('serves /console with a CSP that allows no inline script or style', async () => {
    const res = await t.request('/console');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // Inline code would be blocked by that CSP: every script and style is an asset file.
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('serves every module the console imports, its own and the shared JSON client', async () => {
    const wanted = new Set(['app.js', 'style.css']);
    for (const f of scripts) for (const i of importsOf(f)) wanted.add(i);
    expect(wanted.has('http.js')).toBe(true);
    for (const f of wanted) {
      const res = await t.request(`/console/assets/${f}`);
      expect([f, res.status]).toEqual([f, 200]);
    }
    expect((await t.request('/console/assets/http.d.ts')).status).toBe(404);
  });

  it('renders API data only through DOM text, never as HTML', () => {
    for (const f of scripts) {
      const src = readFileSync(path.join(dir, f), 'utf8');
      expect([f, src.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\.html\(|eval\(|new Function/g)]).toEqual([f, null]);
      expect([f, src.includes('// @ts-check')]).toEqual([f, true]);
    }
  });

  it('never logs or puts the API key anywhere but sessionStorage and the Authorization header', () => {
    for (const f of scripts) {
      const src = readFileSync(path.join(dir, f), 'utf8');
      expect([f, /console\.(log|info|debug|warn|error)|localStorage|document\.cookie/.test(src)]).toEqual([f, false]);
    }
  });
});
