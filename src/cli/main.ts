/**
 * The `mamori` command. Exit codes: 0 done, 1 failed, 2 usage or configuration error. Messages
 * go to stderr, results and help to stdout. The commands are in commands.ts; `mamori help`,
 * `mamori COMMAND --help`.
 */
import { DomainError } from '../domain/errors';
import { commandUsage, listUsage, readCommandLine, UsageError, type Describe } from './command-line';
import { COMMANDS } from './commands';
import { cliLanguage, errorSentence, type CliLanguage, type ErrorContext } from './messages';
import { jaCommandSummaries } from './summaries-ja';

/** `--lang ja|en` may come anywhere on the line and applies to every command, so it is read here. */
function takeLanguage(argv: string[]): { argv: string[]; requested?: string } {
  const rest: string[] = [];
  let requested: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--lang') requested = argv[++i] ?? '';
    else if (a.startsWith('--lang=')) requested = a.slice('--lang='.length);
    else rest.push(a);
  }
  return { argv: rest, requested };
}

export async function run(rawArgv: string[], env = process.env): Promise<number> {
  const { argv, requested } = takeLanguage(rawArgv);
  const lang = cliLanguage(env, requested);
  const describe: Describe = (c) => (lang === 'ja' ? (jaCommandSummaries[c.words.join(' ')] ?? c.summary) : c.summary);
  let context: ErrorContext = {};
  try {
    if (requested !== undefined && requested !== 'ja' && requested !== 'en') throw new UsageError('--lang must be ja or en', listUsage(COMMANDS, [], describe));
    if (argv.length === 0) {
      process.stdout.write(listUsage(COMMANDS, [], describe) + '\n');
      return 2;
    }
    const line = readCommandLine(COMMANDS, argv, describe);
    if (line.kind === 'help') {
      process.stdout.write(line.text + '\n');
      return 0;
    }
    context = { command: line.command.words.join(' '), subject: line.args[0] };
    const { loadConfig } = await import('../config');
    return await line.command.run({ config: loadConfig(env), args: line.args, options: line.options, env, usage: commandUsage(line.command, describe), lang });
  } catch (e) {
    return reportFailure(e, lang, context, (await import('../config-values')).ConfigError);
  }
}

/** The configuration's error class comes in from the caller, so that `--help` loads no configuration code. */
function reportFailure(e: unknown, lang: CliLanguage, context: ErrorContext, ConfigError: new (...a: never[]) => Error): number {
  if (e instanceof UsageError) {
    process.stderr.write(`mamori: ${e.message}\n${e.usage}\n`);
    return 2;
  }
  if (e instanceof ConfigError) {
    process.stderr.write(`mamori: ${e.message}\n`);
    return 2;
  }
  if (e instanceof DomainError) {
    // The sentence for the operator, then the code and its details as before, for scripts and for searching the docs.
    const details = Object.entries(e.details).map(([k, v]) => `${k}: ${v}`);
    process.stderr.write(`mamori: ${errorSentence(lang, e.code, e.details, context)} [${e.code}${details.length ? ` (${details.join(', ')})` : ''}]\n`);
    return 1;
  }
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
    process.stderr.write(`mamori: file not found: ${(e as NodeJS.ErrnoException).path}\n`);
    return 2;
  }
  process.stderr.write(`mamori: ${(e as Error).message}\n`);
  return 1;
}
