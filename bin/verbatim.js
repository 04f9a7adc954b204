#!/usr/bin/env node
// The bundled command (`npm run build` makes it; scripts/bundle-cli.mjs says why it is bundled).
import '../dist/cli/chunks/verbatim.js';
