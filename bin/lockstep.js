#!/usr/bin/env node
// The `lockstep` command. The compiled CLI lives in dist/ (built by `npm install` through `prepare`).
require('../dist/src/cli/main.js');
