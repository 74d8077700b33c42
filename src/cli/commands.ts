/**
 * Every `mamori` command: its words, arguments, options, one line of usage, and what it does.
 * A new command is one entry here; command-line.ts reads it and prints its `--help`.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../config';
import type { Runtime } from '../composition/open-runtime';
import { UsageError, type ArgumentSpec, type CommandSpec } from './command-line';
import type { CliLanguage } from './messages';
import { passkeyPolicyCommands } from './passkey-policy-commands';
import { renderCustomerState } from './support-show';
import { keysRotateCommand } from './keys-command';
import { operatorCommands } from './operator-commands';
import { oidcCommands } from './oidc-commands';
import { answer, mailedAnswer, type AnswerKey } from './answers';

export interface CommandInput {
  config: Config;
  args: string[];
  options: Record<string, string>;
  env: NodeJS.ProcessEnv;
  usage: string;
  /** The operator's language (--lang, else the locale). */
  lang?: CliLanguage;
}

export interface Command extends CommandSpec {
  /** Exit code, or -1 for a command that keeps the process running (serve). */
  run(input: CommandInput): Promise<number>;
}

const FILE: ArgumentSpec = { name: 'FILE|-', missing: 'fileRequired' };
const LOGIN_ID = { name: 'LOGIN_ID' };
const OPERATOR_AND_REASON = { operator: 'NAME', reason: 'TEXT' };

function readInput(file: string, usage: string): unknown {
  const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError('notJson', usage, { reason: (e as Error).message });
  }
}

export type WithRuntime = <T>(config: Config, fn: (rt: Runtime) => Promise<T>) => Promise<T>;

/**
 * The runtime, imported when a command needs it: `--help` and a usage error load none of it, and
 * the server's web modules are loaded by `serve` alone (docs/operations.md, CLI speed).
 */
async function withRuntime<T>(config: Config, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const { openRuntime } = await import('../composition/open-runtime');
  const rt = await openRuntime(config, { logger: undefined, shortLived: true });
  try {
    return await fn(rt);
  } finally {
    // Mail queued by the command is sent by the server's worker; the outbox keeps it meanwhile.
    await rt.close();
  }
}

const actor = (env: NodeJS.ProcessEnv) => `cli:${env.USER ?? 'unknown'}`;

/** Accounts from a JSON file or standard input, the brokerage's; `by` names who ran the command in the audit log. */
function accountsCommand(word: string, summary: string, act: (rt: Runtime, data: unknown, by: string, usage: string, lang: CliLanguage) => Promise<number>): Command {
  return {
    words: ['accounts', word],
    arguments: [FILE],
    options: {},
    summary,
    async run({ config, args, env, usage, lang = 'en' }) {
      const data = readInput(args[0]!, usage);
      return withRuntime(config, (rt) => act(rt, data, actor(env), usage, lang));
    },
  };
}

/** The support commands that answer with `done.<word>` (answers.ts). */
type SupportWord = AnswerKey extends infer K ? (K extends `done.${infer W}` ? W : never) : never;

/** A support-desk action on one customer: operator and reason recorded, the customer mailed. `act` returns what its answer counts. */
function supportCommand(word: SupportWord, summary: string, act: (rt: Runtime, loginId: string, operator: string, reason: string) => Promise<{ count?: number } | void>): Command {
  return {
    words: ['support', word],
    arguments: [LOGIN_ID],
    options: OPERATOR_AND_REASON,
    summary,
    async run({ config, args, options, lang = 'en' }) {
      const loginId = args[0]!;
      const done = await withRuntime(config, (rt) => act(rt, loginId, options.operator!, options.reason!));
      process.stdout.write(mailedAnswer(lang, `done.${word}`, { loginId, ...done }) + '\n');
      return 0;
    },
  };
}

export const COMMANDS: readonly Command[] = [
  {
    words: ['serve'],
    arguments: [],
    options: {},
    summary: 'run the HTTP server (configuration: docs/configuration.md)',
    async run({ config }) {
      // The handlers go in before the server starts and before "listening" is printed: a SIGTERM
      // that arrives in between (a supervisor that reads the line and stops us at once) would
      // otherwise meet the default action and kill the process without a clean stop.
      let stopRequested: (() => void) | null = null;
      const stopping = new Promise<void>((resolve) => (stopRequested = resolve));
      const onSignal = () => stopRequested?.();
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      const { startServer } = await import('../composition/start-server');
      const server = await startServer(config);
      void stopping.then(() => server.stop()).then(() => process.exit(0), () => process.exit(1));
      process.stderr.write(`mamori listening on ${server.url} (database: ${config.databaseUrl.split('@').pop()})\n`);
      return -1;
    },
  },
  {
    words: ['migrate'],
    arguments: [],
    options: {},
    summary: 'bring the database schema up to date',
    async run({ config, lang = 'en' }) {
      const { openStore } = await import('../store/open');
      const store = openStore(config.databaseUrl, { shortLived: true });
      await store.migrate();
      await store.close();
      process.stdout.write(answer(lang, 'migrate.done') + '\n');
      return 0;
    },
  },
  accountsCommand('import', 'import customers from a JSON array (see docs/operations.md); - reads standard input', async (rt, data, by, usage, lang) => {
    if (!Array.isArray(data)) throw new UsageError('importNotArray', usage);
    const results = await rt.services.accounts.import(data, by);
    for (const r of results) {
      // The problems stay field names and reason codes: they name what to mend in the file.
      const what = answer(lang, `import.${r.status}`, { problems: r.problems.map((p) => `${p.field} ${p.reason}`).join('; ') });
      process.stdout.write(`#${r.index} ${r.loginId ?? answer(lang, 'import.noLoginId')}: ${what}\n`);
    }
    const count = (s: string) => results.filter((r) => r.status === s).length;
    process.stdout.write(answer(lang, 'import.total', { created: count('created'), exists: count('exists'), invalid: count('invalid') }) + '\n');
    return count('invalid') > 0 ? 1 : 0;
  }),
  accountsCommand('create', 'create one customer from a JSON object; - reads standard input', async (rt, data, by, _usage, lang) => {
    const account = await rt.services.accounts.create(data, by);
    process.stdout.write(answer(lang, 'create.done', { loginId: account.loginId }) + '\n');
    return 0;
  }),
  {
    words: ['support', 'show'],
    arguments: [LOGIN_ID],
    options: {},
    flags: { json: 'print the state as JSON, for scripts' },
    summary: "a customer's state before acting: TOTP, passkeys, addresses, browsers, sessions, locks, exemption, last logins and events",
    async run({ config, args, options, lang }) {
      const state = await withRuntime(config, (rt) => rt.services.customerState.show(args[0]!));
      process.stdout.write((options.json === 'true' ? JSON.stringify(state, null, 2) : renderCustomerState(state, lang ?? 'en')) + '\n');
      return 0;
    },
  },
  supportCommand('reset-totp', "stop a customer's one-time passwords (lost phone), mailed and audited", async (rt, id, op, why) => {
    await rt.services.totp.supportReset(id, op, why);
  }),
  supportCommand('unlock-trading-password', 'lift the lock after five wrong trading passwords, mailed and audited', async (rt, id, op, why) => {
    await rt.services.tradingPassword.unlock(id, op, why);
  }),
  supportCommand('reset-passkeys', "remove a customer's passkeys (all lost), mailed and audited", async (rt, id, op, why) => {
    return { count: await rt.services.passkeys.supportReset(id, op, why) };
  }),
  supportCommand('cancel-new-passkeys', "cancel a customer's new passkeys (registered within PASSKEY_COOLING_OFF_HOURS), mailed and audited", async (rt, id, op, why) => {
    return { count: await rt.services.passkeys.supportCancelNew(id, op, why) };
  }),
  supportCommand('unlock-login', 'lift the login lock and the suspension after 100 failures, mailed and audited', async (rt, id, op, why) => {
    await rt.services.login.supportUnlock(id, op, why);
  }),
  {
    words: ['support', 'allow-country'],
    arguments: [LOGIN_ID],
    options: { country: 'CC', days: 'N', ...OPERATOR_AND_REASON },
    summary: 'let one account log in from one more country for N days despite ALLOWED_COUNTRIES (audited)',
    async run({ config, args, options, lang = 'en' }) {
      const granted = await withRuntime(config, (rt) => rt.services.riskDesk.allowCountry(args[0]!, { country: options.country, days: options.days }, options.operator!, options.reason!));
      process.stdout.write(answer(lang, 'support.allowCountry', { loginId: args[0]!, country: granted.country, until: granted.expiresAt.toISOString() }) + '\n');
      return 0;
    },
  },
  {
    words: ['support', 'reset-login-password'],
    arguments: [LOGIN_ID],
    options: { ...OPERATOR_AND_REASON, by: 'post|mail' },
    optional: ['by'],
    summary: 'issue a login-password reset code, printed once for a letter (--by post, the default) or mailed (--by mail); audited',
    async run({ config, args, options, usage, lang = 'en' }) {
      const by = options.by ?? 'post';
      if (by !== 'post' && by !== 'mail') throw new UsageError('byPostOrMail', usage);
      const issued = await withRuntime(config, (rt) => rt.services.deskReset.issue(args[0]!, options.operator!, options.reason!, by));
      const vars = { loginId: args[0]!, until: issued.expiresAt.toISOString() };
      // The only time the code is shown: it is kept as a keyed hash.
      if (issued.code) process.stdout.write(answer(lang, 'support.resetCode.post', { ...vars, code: issued.code }) + '\n');
      else process.stdout.write(answer(lang, 'support.resetCode.mail', vars) + '\n');
      return 0;
    },
  },
  supportCommand('require-password-change', 'make the customer change the login password at the next login, mailed and audited', async (rt, id, op, why) => {
    await rt.services.deskReset.requirePasswordChange(id, op, why);
  }),
  {
    words: ['demo', 'reset'],
    arguments: [],
    options: {},
    summary: "new passwords for the embedded mode's demo account (not in production)",
    async run({ config }) {
      const { DEMO_LOGIN_ID, resetDemoPasswords } = await import('../composition/demo-account');
      const p = await withRuntime(config, (rt) => resetDemoPasswords(rt));
      process.stdout.write(`demo account: new passwords\n  ログインID        ${DEMO_LOGIN_ID}\n  ログインパスワード  ${p.loginPassword}\n  取引パスワード      ${p.tradingPassword}\n`);
      return 0;
    },
  },
  keysRotateCommand(withRuntime),
  ...passkeyPolicyCommands(withRuntime, actor),
  ...operatorCommands(withRuntime, actor),
  ...oidcCommands(withRuntime, actor),
];
