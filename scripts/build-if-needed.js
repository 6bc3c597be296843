'use strict';
// Rebuild dist/ when any TypeScript source is newer than the last build (tsc's incremental info file), and each
// web page (web/<page>/vite.config.mjs) when its sources or web/shared are newer than its built index.html.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const root = path.join(__dirname, '..');
const stamp = path.join(root, 'dist', '.tsbuildinfo');
const dirs = ['src', 'connectors', 'config', 'migrations', 'emulator', 'demo', 'bench'];
function newest(dir, ext) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'dist' && e.name !== 'node_modules') t = Math.max(t, newest(p, ext));
    } else if (ext.some((x) => e.name.endsWith(x))) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}
const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
const src = Math.max(...dirs.map((d) => newest(path.join(root, d), ['.ts'])), mtime(path.join(root, 'tsconfig.json')));
if (src > mtime(stamp)) {
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')],
    { stdio: 'inherit', cwd: root },
  );
}

const web = path.join(root, 'web');
const webExt = ['.ts', '.vue', '.css', '.html', '.mjs', '.json', '.svg', '.png', '.ico'];
const shared = Math.max(newest(path.join(web, 'shared'), webExt), mtime(path.join(web, 'vite.page.mjs')));
for (const page of fs.readdirSync(web)) {
  const config = path.join(web, page, 'vite.config.mjs');
  if (!fs.existsSync(config)) continue;
  const built = mtime(path.join(web, 'dist', page, 'index.html'));
  if (Math.max(shared, newest(path.join(web, page), webExt)) <= built) continue;
  execFileSync(
    process.execPath,
    [path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'), 'build', '--config', config],
    { stdio: 'inherit', cwd: root },
  );
}
