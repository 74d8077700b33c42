/**
 * The `mamori` command. Exit codes: 0 done, 1 failed, 2 usage or configuration error. Messages
 * go to stderr, results and help to stdout. The commands are in commands.ts; `mamori help`,
 * `mamori COMMAND --help`.
 */
import { ConfigError, loadConfig } from '../config';
import { DomainError } from '../domain/errors';
import { commandUsage, listUsage, readCommandLine, UsageError } from './command-line';
import { COMMANDS } from './commands';

export async function run(argv: string[], env = process.env): Promise<number> {
  try {
    if (argv.length === 0) {
      process.stdout.write(listUsage(COMMANDS, []) + '\n');
      return 2;
    }
    const line = readCommandLine(COMMANDS, argv);
    if (line.kind === 'help') {
      process.stdout.write(line.text + '\n');
      return 0;
    }
    return await line.command.run({ config: loadConfig(env), args: line.args, options: line.options, env, usage: commandUsage(line.command) });
  } catch (e) {
    return reportFailure(e);
  }
}

function reportFailure(e: unknown): number {
  if (e instanceof UsageError) {
    process.stderr.write(`mamori: ${e.message}\n${e.usage}\n`);
    return 2;
  }
  if (e instanceof ConfigError) {
    process.stderr.write(`mamori: ${e.message}\n`);
    return 2;
  }
  if (e instanceof DomainError) {
    const details = Object.entries(e.details).map(([k, v]) => `${k}: ${v}`);
    process.stderr.write(`mamori: ${e.code}${details.length ? ` (${details.join(', ')})` : ''}\n`);
    return 1;
  }
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
    process.stderr.write(`mamori: file not found: ${(e as NodeJS.ErrnoException).path}\n`);
    return 2;
  }
  process.stderr.write(`mamori: ${(e as Error).message}\n`);
  return 1;
}
