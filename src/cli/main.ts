/**
 * The `mamori` command: serve, migrate, accounts import/create. Exit codes: 0 done, 1 failed,
 * 2 usage or configuration error. Messages go to stderr, results to stdout.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../config';
import { resetDemoPasswords } from '../demo-account';
import { DomainError } from '../domain/errors';
import { startServer } from '../main';
import { createRuntime } from '../runtime';
import { openStore } from '../store/open';

const USAGE = `usage: mamori <command>
  serve                          run the HTTP server (configuration: docs/configuration.md)
  migrate                        bring the database schema up to date
  accounts import FILE|-         import customers from a JSON array (see docs/operations.md)
  accounts create FILE|-         create one customer from a JSON object
  support reset-totp LOGIN_ID --operator NAME --reason TEXT
                                 stop a customer's one-time passwords (lost phone), mailed and audited
  support unlock-trading-password LOGIN_ID --operator NAME --reason TEXT
                                 lift the lock after five wrong trading passwords, mailed and audited
  support reset-passkeys LOGIN_ID --operator NAME --reason TEXT
                                 remove a customer's passkeys (all lost), mailed and audited
  support unlock-login LOGIN_ID --operator NAME --reason TEXT
                                 lift the login lock and the suspension after 100 failures, mailed and audited
  demo reset                     new passwords for the embedded mode's demo account (not in production)
  keys rotate                    re-encrypt TOTP secrets under MAMORI_SECRET_KEY (old keys in MAMORI_OLD_SECRET_KEYS)
  help                           this text`;

function readInput(arg: string | undefined): string {
  if (!arg) throw new UsageError('a FILE argument (or - for standard input) is required');
  return arg === '-' ? readFileSync(0, 'utf8') : readFileSync(arg, 'utf8');
}

class UsageError extends Error {}

/** `--name value` pairs; every listed flag is required and non-empty. */
function flags(args: string[], required: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument: ${a}`);
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${a} needs a value`);
    out[a.slice(2)] = value;
    i += 1;
  }
  for (const name of required) if (!out[name]?.trim()) throw new UsageError(`--${name} is required`);
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`the input is not valid JSON: ${(e as Error).message}`);
  }
}

async function withRuntime<T>(config: Config, fn: (rt: Awaited<ReturnType<typeof createRuntime>>) => Promise<T>): Promise<T> {
  const rt = await createRuntime(config, { logger: undefined });
  try {
    return await fn(rt);
  } finally {
    // Mail queued by the command is sent by the server's worker; the outbox keeps it meanwhile.
    await rt.close();
  }
}

export async function run(argv: string[], env = process.env): Promise<number> {
  const [command, sub, arg] = argv;
  try {
    if (!command || command === 'help' || command === '--help') {
      process.stdout.write(USAGE + '\n');
      return command ? 0 : 2;
    }
    const config = loadConfig(env);
    if (command === 'serve') {
      const server = await startServer(config);
      process.stderr.write(`mamori listening on ${server.url} (database: ${config.databaseUrl.split('@').pop()})\n`);
      const shutdown = () => {
        server.stop().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
      return -1;
    }
    if (command === 'migrate') {
      const store = openStore(config.databaseUrl);
      await store.migrate();
      await store.close();
      process.stdout.write('migrations are current\n');
      return 0;
    }
    if (command === 'accounts' && sub === 'import') {
      const data = parseJson(readInput(arg));
      if (!Array.isArray(data)) throw new UsageError('the import file must hold a JSON array of accounts');
      const results = await withRuntime(config, (rt) => rt.services.accounts.import(data, `cli:${env.USER ?? 'unknown'}`));
      for (const r of results) {
        const what = r.status === 'invalid' ? `invalid: ${r.problems.map((p) => `${p.field} ${p.reason}`).join('; ')}` : r.status;
        process.stdout.write(`#${r.index} ${r.loginId ?? '(no loginId)'}: ${what}\n`);
      }
      const count = (s: string) => results.filter((r) => r.status === s).length;
      process.stdout.write(`created ${count('created')}, already present ${count('exists')}, invalid ${count('invalid')}\n`);
      return count('invalid') > 0 ? 1 : 0;
    }
    if (command === 'accounts' && sub === 'create') {
      const data = parseJson(readInput(arg));
      const account = await withRuntime(config, (rt) => rt.services.accounts.create(data, `cli:${env.USER ?? 'unknown'}`));
      process.stdout.write(`created ${account.loginId}\n`);
      return 0;
    }
    if (command === 'support' && sub === 'reset-totp') {
      const opts = flags(argv.slice(3), ['operator', 'reason']);
      if (!arg) throw new UsageError('LOGIN_ID is required');
      await withRuntime(config, (rt) => rt.services.totp.supportReset(arg, opts.operator as string, opts.reason as string));
      process.stdout.write(`one-time password service reset for ${arg}; the customer has been mailed\n`);
      return 0;
    }
    if (command === 'support' && sub === 'unlock-trading-password') {
      const opts = flags(argv.slice(3), ['operator', 'reason']);
      if (!arg) throw new UsageError('LOGIN_ID is required');
      await withRuntime(config, (rt) => rt.services.tradingPassword.unlock(arg, opts.operator as string, opts.reason as string));
      process.stdout.write(`trading password unlocked for ${arg}; the customer has been mailed\n`);
      return 0;
    }
    if (command === 'support' && sub === 'reset-passkeys') {
      const opts = flags(argv.slice(3), ['operator', 'reason']);
      if (!arg) throw new UsageError('LOGIN_ID is required');
      const count = await withRuntime(config, (rt) => rt.services.passkeys.supportReset(arg, opts.operator as string, opts.reason as string));
      process.stdout.write(`removed ${count} passkey(s) of ${arg}; the customer has been mailed\n`);
      return 0;
    }
    if (command === 'support' && sub === 'unlock-login') {
      const opts = flags(argv.slice(3), ['operator', 'reason']);
      if (!arg) throw new UsageError('LOGIN_ID is required');
      await withRuntime(config, (rt) => rt.services.login.supportUnlock(arg, opts.operator as string, opts.reason as string));
      process.stdout.write(`login unlocked for ${arg}; the customer has been mailed\n`);
      return 0;
    }
    if (command === 'demo' && sub === 'reset') {
      const p = await withRuntime(config, (rt) => resetDemoPasswords(rt));
      process.stdout.write(`demo account: new passwords\n  ログインID        demo\n  ログインパスワード  ${p.loginPassword}\n  取引パスワード      ${p.tradingPassword}\n`);
      return 0;
    }
    if (command === 'keys' && sub === 'rotate') {
      const count = await withRuntime(config, (rt) => rt.services.totp.resealAll((sealed) => rt.secretBox.needsReseal(sealed)));
      process.stdout.write(`re-encrypted ${count} TOTP secret(s) under key ${config.secretKey.id}\n`);
      return 0;
    }
    throw new UsageError(`unknown command: ${[command, sub].filter(Boolean).join(' ')}`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      process.stderr.write(`mamori: ${e.message}\n${e instanceof UsageError ? USAGE + '\n' : ''}`);
      return 2;
    }
    if (e instanceof DomainError) {
      process.stderr.write(`mamori: ${e.code}${Object.keys(e.details).length ? ` (${Object.entries(e.details).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}\n`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`mamori: file not found: ${(e as NodeJS.ErrnoException).path}\n`);
      return 2;
    }
    process.stderr.write(`mamori: ${(e as Error).message}\n`);
    return 1;
  }
}
