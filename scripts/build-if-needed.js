'use strict';
// Rebuild dist/ when any TypeScript source is newer than the last build (tsc's incremental info file).
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const root = path.join(__dirname, '..');
const stamp = path.join(root, 'dist', '.tsbuildinfo');
const dirs = ['src', 'connectors', 'config', 'migrations', 'emulator', 'bench'];
function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'dist' && e.name !== 'node_modules') t = Math.max(t, newest(p)); }
    else if (e.name.endsWith('.ts')) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const src = Math.max(...dirs.map((d) => newest(path.join(root, d))), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
if (src > built) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
}
