/**
 * Reads a `mamori` command line with node:util's parseArgs: the command's words, its arguments
 * and its options may come in any order (`--reason TEXT LOGIN_ID --operator NAME`), `--help` (or
 * `-h`) anywhere asks for the usage of the command it follows, and an option the command does not
 * take is refused rather than read as an argument (`accounts import --help` once looked for a
 * file called `--help`). What this module refuses is a UsageError: the CLI answers exit code 2.
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  constructor(message: string, readonly usage: string) {
    super(message);
  }
}

export interface ArgumentSpec {
  name: string;
  /** What to say when it is missing; `NAME is required` by default. */
  missing?: string;
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

/** A command's one line of help, in the operator's language (the command's own `summary` by default). */
export type Describe = (c: CommandSpec) => string;
const ownSummary: Describe = (c) => c.summary;

export function commandUsage(c: CommandSpec, describe: Describe = ownSummary): string {
  const options = Object.entries(c.options).map(([name, value]) => (c.optional?.includes(name) ? `[--${name} ${value}]` : `--${name} ${value}`));
  return [
    `usage: mamori ${[...c.words, ...c.arguments.map((a) => a.name), ...options, ...flagsOf(c)].join(' ')}`,
    `  ${describe(c)}`,
    'options:',
    ...Object.entries(c.options).map(([name, value]) => `  --${name} ${value}`.padEnd(25) + (c.optional?.includes(name) ? 'optional' : 'required')),
    ...Object.entries(c.flags ?? {}).map(([name, what]) => `  --${name}`.padEnd(25) + what),
    '  -h, --help'.padEnd(25) + 'show this text',
  ].join('\n');
}

/** The usage of every command starting with `words` (all of them for none). */
export function listUsage(commands: readonly CommandSpec[], words: readonly string[], describe: Describe = ownSummary): string {
  const lines = [`usage: mamori ${words.length ? `${words.join(' ')} ` : ''}<command>   (mamori <command> --help for its options)`];
  for (const c of commands.filter((c) => startsWith(c.words, words))) {
    const synopsis = [...c.words, ...c.arguments.map((a) => a.name), ...Object.entries(c.options).map(([n, v]) => `--${n} ${v}`), ...flagsOf(c)].join(' ');
    lines.push(synopsis.length <= 30 ? `  ${synopsis.padEnd(31)}${describe(c)}` : `  ${synopsis}\n${' '.repeat(33)}${describe(c)}`);
  }
  if (words.length === 0) lines.push(`  ${'help [COMMAND]'.padEnd(31)}this text, or a command's usage`);
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

export function readCommandLine<C extends CommandSpec>(commands: readonly C[], argv: string[], describe: Describe = ownSummary): CommandLine<C> {
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
    return { kind: 'help', text: command ? commandUsage(command, describe) : listUsage(commands, groupWords(commands, words), describe) };
  }
  if (!command) {
    const group = groupWords(commands, words);
    const usage = listUsage(commands, group, describe);
    if (words.length === group.length) throw new UsageError(group.length ? `${group.join(' ')} needs a command` : 'a command is required', usage);
    throw new UsageError(`unknown command: ${words.slice(0, group.length + 1).join(' ')}`, usage);
  }
  const usage = commandUsage(command, describe);
  const values: Record<string, string> = {};
  for (const t of options) {
    if (t.name in (command.flags ?? {})) {
      if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value`, usage);
      values[t.name] = 'true';
      continue;
    }
    if (!(t.name in command.options)) throw new UsageError(`unknown option ${t.rawName} for mamori ${command.words.join(' ')}`, usage);
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-'))) throw new UsageError(`${t.rawName} needs a value`, usage);
    if (t.name in values) throw new UsageError(`${t.rawName} is given twice`, usage);
    values[t.name] = t.value;
  }
  for (const name of Object.keys(command.options)) if (!command.optional?.includes(name) && !values[name]?.trim()) throw new UsageError(`--${name} is required`, usage);
  const args = words.slice(command.words.length);
  command.arguments.forEach((a, i) => {
    if (args[i] === undefined && !a.optional) throw new UsageError(a.missing ?? `${a.name} is required`, usage);
  });
  if (args.length > command.arguments.length) throw new UsageError(`unexpected argument: ${args[command.arguments.length]}`, usage);
  return { kind: 'run', command, args, options: values };
}
