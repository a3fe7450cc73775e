#!/usr/bin/env node
// The `bridge` command. Runs the compiled CLI; `npm run build` compiles it.
const path = require('node:path');
const fs = require('node:fs');
const main = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!fs.existsSync(main)) {
  process.stderr.write('bridge: the CLI is not built yet; run `npm run build` first\n');
  process.exit(1);
}
require(main);
