/**
 * Another `mamori` process disabling operators on the same database
 * (`node --import tsx test/support/operator-disabler.ts`, DATABASE_URL and MAMORI_SECRET_KEY in
 * its environment): opens the runtime, says "ready", and for each line "disable NAME" answers
 * "ok NAME" or "refused NAME"; "quit" ends it.
 */
import { createInterface } from 'node:readline';
import { openRuntime } from '../../src/composition/open-runtime';
import { loadConfig } from '../../src/config';
import { DomainError } from '../../src/domain/errors';

const runtime = await openRuntime(loadConfig(process.env), {});
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'quit') break;
  const name = line.replace(/^disable /, '');
  try {
    await runtime.services.desk.operators.disable(name, 'race-test');
    process.stdout.write(`ok ${name}\n`);
  } catch (e) {
    process.stdout.write(`${e instanceof DomainError ? 'refused' : `error ${String(e)}`} ${name}\n`);
  }
}
await runtime.close();
process.exit(0);
