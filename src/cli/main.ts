/**
 * The `mamori` command. Exit codes: 0 done, 1 failed, 2 usage or configuration error. Messages
 * go to stderr, results and help to stdout. The commands are in commands.ts; `mamori help`,
 * `mamori COMMAND --help`.
 */
import { DomainError } from '../domain/errors';
import { commandUsage, listUsage, readCommandLine, UsageError } from './command-line';
import { COMMANDS } from './commands';
import { cliLanguage, errorSentence, type CliLanguage, type ErrorContext } from './messages';
import { usageText } from './usage-messages';

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

/**
 * Where the help and the failures go: the process's streams, or a test's — a test that replaced
 * process.stdout would swallow its own runner's reports, which share it. A command's answers go to
 * process.stdout.
 */
export interface Output {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export async function run(rawArgv: string[], env = process.env, out: Output = process): Promise<number> {
  const { argv, requested } = takeLanguage(rawArgv);
  const lang = cliLanguage(env, requested);
  let context: ErrorContext = {};
  try {
    if (requested !== undefined && requested !== 'ja' && requested !== 'en') throw new UsageError('langJaOrEn', listUsage(COMMANDS, [], lang));
    if (argv.length === 0) {
      out.stdout.write(listUsage(COMMANDS, [], lang) + '\n');
      return 2;
    }
    const line = readCommandLine(COMMANDS, argv, lang);
    if (line.kind === 'help') {
      out.stdout.write(line.text + '\n');
      return 0;
    }
    context = { command: line.command.words.join(' '), subject: line.args[0] };
    const { loadConfig } = await import('../config');
    return await line.command.run({ config: loadConfig(env), args: line.args, options: line.options, env, usage: commandUsage(line.command, lang), lang });
  } catch (e) {
    return reportFailure(e, lang, context, (await import('../config-values')).ConfigError, out.stderr);
  }
}

/** The configuration's error class comes in from the caller, so that `--help` loads no configuration code. */
function reportFailure(e: unknown, lang: CliLanguage, context: ErrorContext, ConfigError: new (...a: never[]) => Error, stderr: Output['stderr']): number {
  if (e instanceof UsageError) {
    stderr.write(`mamori: ${usageText(lang, e.key, e.vars)}\n${e.usage}\n`);
    return 2;
  }
  if (e instanceof ConfigError) {
    stderr.write(`mamori: ${e.message}\n`);
    return 2;
  }
  if (e instanceof DomainError) {
    // The sentence for the operator, then the code and its details as before, for scripts and for searching the docs.
    const details = Object.entries(e.details).map(([k, v]) => `${k}: ${v}`);
    stderr.write(`mamori: ${errorSentence(lang, e.code, e.details, context)} [${e.code}${details.length ? ` (${details.join(', ')})` : ''}]\n`);
    return 1;
  }
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
    stderr.write(`mamori: ${usageText(lang, 'fileNotFound', { path: (e as NodeJS.ErrnoException).path ?? '' })}\n`);
    return 2;
  }
  stderr.write(`mamori: ${(e as Error).message}\n`);
  return 1;
}
