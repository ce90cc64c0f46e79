#!/usr/bin/env node
import "../dist/cli/ncii-hash.js";
