#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step between a checkout and a server.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// V8 "pretenures" an allocation site once most of its objects survive a young collection. Early
// in a server's life some sites the request path shares do, and from then on every request's
// short-lived objects were allocated in the old generation: each young collection then scanned
// them (15 ms pauses every 50 ms under load, a quarter of the CPU). Measured in bench/, see
// docs/performance.md.
setFlagsFromString('--no-allocation-site-pretenuring');

register();
const { run } = await import('../src/cli/main.ts');
const code = await run(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
