#!/usr/bin/env node
// CommonJS, as is the bundled CLI it loads: Node then starts the CLI without setting up its ES module loader, ~12 ms
// sooner (scripts/bundle-node.mjs).
require("../dist/cli/bundled/ncii-hash.cjs");
