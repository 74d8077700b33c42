/**
 * `mamori …` as an operator runs it, in its own process. Not spawnSync: a blocked event loop
 * misses what the test's own server or store must hear meanwhile (a server closing idle
 * keep-alive sockets; PostgreSQL's session announcements on the LISTEN connection).
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runMamori(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((done) =>
    execFile(process.execPath, [resolve('bin/mamori.js'), ...args], { env, encoding: 'utf8' }, (e, stdout, stderr) => done({ code: e ? Number(e.code ?? 1) : 0, stdout, stderr })),
  );
}

/** The environment of a command on the test's database: its keys, quiet, cheap hashing, English. */
export function cliEnv(databaseUrl: string, secretKey: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', DATABASE_URL: databaseUrl, MAMORI_SECRET_KEY: secretKey, NODE_ENV: 'test', LOG_LEVEL: 'silent', ARGON2_MEMORY_KIB: '4096', ARGON2_ITERATIONS: '1', ...extra };
}
