/**
 * Reads a `mamori` command line with node:util's parseArgs: the command's words, its arguments
 * and its options may come in any order (`--reason TEXT LOGIN_ID --operator NAME`), `--help` (or
 * `-h`) anywhere asks for the usage of the command it follows, and an option the command does not
 * take is refused rather than read as an argument (`accounts import --help` once looked for a
 * file called `--help`). What this module refuses is a UsageError: the CLI answers exit code 2.
 */
import { parseArgs } from 'node:util';
import type { Vars } from './answers';
import type { CliLanguage } from './messages';
import { jaCommandSummaries, jaFlagLines } from './summaries-ja';
import { usageText, type UsageKey } from './usage-messages';

/**
 * A key of usage-messages.ts and its values rather than a sentence: main.ts says it in the
 * operator's language. The message is the English, for a stack trace and for tests that read it.
 */
export class UsageError extends Error {
  constructor(readonly key: UsageKey, readonly usage: string, readonly vars: Vars = {}) {
    super(usageText('en', key, vars));
  }
}

export interface ArgumentSpec {
  name: string;
  /** What to say when it is missing (usage-messages.ts); `NAME is required` by default. */
  missing?: UsageKey;
  /** May be left out (the last argument only); its name says so in the usage, `[NAME]`. */
  optional?: boolean;
}

export interface CommandSpec {
  words: readonly string[];
  arguments: readonly ArgumentSpec[];
  /** Options taking a value, each required and not blank: name → the value's placeholder in the usage. */
  options: Readonly<Record<string, string>>;
  /** Options of `options` that may be left out (the command has a default). */
  optional?: readonly string[];
  /** Options taking no value, each optional (`--dry-run`): name → what it does, for the usage. */
  flags?: Readonly<Record<string, string>>;
  summary: string;
}

export type CommandLine<C extends CommandSpec> =
  | { kind: 'help'; text: string }
  | { kind: 'run'; command: C; args: string[]; options: Record<string, string> };

const flagsOf = (c: CommandSpec) => Object.keys(c.flags ?? {}).map((name) => `[--${name}]`);

/** The Japanese line of summaries-ja.ts for ja, the command table's own English otherwise (or where it has none). */
const inLanguage = (lang: CliLanguage, ja: string | undefined, own: string) => (lang === 'ja' ? (ja ?? own) : own);
const summaryOf = (c: CommandSpec, lang: CliLanguage) => inLanguage(lang, jaCommandSummaries[c.words.join(' ')], c.summary);

export function commandUsage(c: CommandSpec, lang: CliLanguage = 'en'): string {
  const options = Object.entries(c.options).map(([name, value]) => (c.optional?.includes(name) ? `[--${name} ${value}]` : `--${name} ${value}`));
  const rows: [string, string][] = [
    ...Object.entries(c.options).map(([name, value]): [string, string] => [`--${name} ${value}`, usageText(lang, c.optional?.includes(name) ? 'help.optional' : 'help.required')]),
    ...Object.entries(c.flags ?? {}).map(([name, what]): [string, string] => [`--${name}`, inLanguage(lang, jaFlagLines[`${c.words.join(' ')} --${name}`], what)]),
    ['-h, --help', usageText(lang, 'help.help')],
  ];
  // As wide as the longest option and two spaces: a long one (`--role viewer|operator|supervisor`)
  // once ran into the word after it.
  const width = Math.max(23, ...rows.map(([left]) => left.length + 2));
  return [
    `usage: mamori ${[...c.words, ...c.arguments.map((a) => a.name), ...options, ...flagsOf(c)].join(' ')}`,
    `  ${summaryOf(c, lang)}`,
    usageText(lang, 'help.options'),
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
  ].join('\n');
}

/** The usage of every command starting with `words` (all of them for none). */
export function listUsage(commands: readonly CommandSpec[], words: readonly string[], lang: CliLanguage = 'en'): string {
  const lines = [`usage: mamori ${words.length ? `${words.join(' ')} ` : ''}<command>   ${usageText(lang, 'help.more')}`];
  for (const c of commands.filter((c) => startsWith(c.words, words))) {
    const synopsis = [...c.words, ...c.arguments.map((a) => a.name), ...Object.entries(c.options).map(([n, v]) => `--${n} ${v}`), ...flagsOf(c)].join(' ');
    lines.push(synopsis.length <= 30 ? `  ${synopsis.padEnd(31)}${summaryOf(c, lang)}` : `  ${synopsis}\n${' '.repeat(33)}${summaryOf(c, lang)}`);
  }
  if (words.length === 0) lines.push(`  ${'help [COMMAND]'.padEnd(31)}${usageText(lang, 'help.helpCommand')}`);
  return lines.join('\n');
}

function startsWith(words: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((w, i) => words[i] === w);
}

/** The command whose words begin the positionals, the longest first. */
function findCommand<C extends CommandSpec>(commands: readonly C[], positionals: string[]): C | undefined {
  return commands.filter((c) => startsWith(positionals, c.words)).sort((a, b) => b.words.length - a.words.length)[0];
}

/** The words the positionals name that some command starts with (`support`, `keys`). */
function groupWords(commands: readonly CommandSpec[], positionals: string[]): string[] {
  const words: string[] = [];
  for (const w of positionals) {
    if (!commands.some((c) => c.words.length > words.length + 1 && startsWith(c.words, [...words, w]))) break;
    words.push(w);
  }
  return words;
}

export function readCommandLine<C extends CommandSpec>(commands: readonly C[], argv: string[], lang: CliLanguage = 'en'): CommandLine<C> {
  const known = {
    ...Object.fromEntries(commands.flatMap((c) => Object.keys(c.options)).map((n) => [n, { type: 'string' as const }])),
    ...Object.fromEntries(commands.flatMap((c) => Object.keys(c.flags ?? {})).map((n) => [n, { type: 'boolean' as const }])),
  };
  // Not strict: an unknown option is reported below with the usage of the command it was given to.
  const { positionals, tokens } = parseArgs({ args: argv, options: { ...known, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: false, tokens: true });
  const options = tokens.filter((t) => t.kind === 'option');
  const wantsHelp = options.some((t) => t.name === 'help');
  const helpOf = positionals[0] === 'help' && !wantsHelp ? positionals.slice(1) : null;
  const words = helpOf ?? positionals;
  const command = findCommand(commands, words);
  if (helpOf || wantsHelp) {
    return { kind: 'help', text: command ? commandUsage(command, lang) : listUsage(commands, groupWords(commands, words), lang) };
  }
  if (!command) {
    const group = groupWords(commands, words);
    const usage = listUsage(commands, group, lang);
    if (words.length === group.length) throw group.length ? new UsageError('groupNeedsCommand', usage, { group: group.join(' ') }) : new UsageError('noCommand', usage);
    throw new UsageError('unknownCommand', usage, { words: words.slice(0, group.length + 1).join(' ') });
  }
  const usage = commandUsage(command, lang);
  const values: Record<string, string> = {};
  for (const t of options) {
    const option = { option: t.rawName };
    if (t.name in (command.flags ?? {})) {
      if (t.value !== undefined) throw new UsageError('flagTakesNoValue', usage, option);
      values[t.name] = 'true';
      continue;
    }
    if (!(t.name in command.options)) throw new UsageError('unknownOption', usage, { ...option, command: command.words.join(' ') });
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-'))) throw new UsageError('needsValue', usage, option);
    if (t.name in values) throw new UsageError('givenTwice', usage, option);
    values[t.name] = t.value;
  }
  for (const name of Object.keys(command.options)) if (!command.optional?.includes(name) && !values[name]?.trim()) throw new UsageError('optionRequired', usage, { option: `--${name}` });
  const args = words.slice(command.words.length);
  command.arguments.forEach((a, i) => {
    if (args[i] === undefined && !a.optional) throw new UsageError(a.missing ?? 'argumentRequired', usage, { name: a.name });
  });
  if (args.length > command.arguments.length) throw new UsageError('unexpectedArgument', usage, { argument: args[command.arguments.length]! });
  return { kind: 'run', command, args, options: values };
}
