#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step between a checkout and a server.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';
import { v8Flags } from './v8-flags.mjs';

for (const flag of v8Flags(process.execArgv)) setFlagsFromString(flag);

register();
const { run } = await import('../src/cli/main.ts');
const code = await run(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
