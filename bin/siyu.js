#!/usr/bin/env node
'use strict';
// The CLI runs the compiled code in dist/; `npm start` and `npm run siyu` build first when sources changed.
const path = require('path');
const fs = require('fs');
const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('siyu: not built yet; run `npm run build` first\n');
  process.exit(1);
}
require(entry)
  .main(process.argv.slice(2))
  .then(
    (code) => {
      if (typeof code === 'number') process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`siyu: ${err && err.message ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
