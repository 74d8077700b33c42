/**
 * Another process writing to the same database (`node --import tsx test/support/other-writer.ts URL`):
 * opens it, says "ready", appends one audit event when told "go", says "written" and exits.
 */
import { createInterface } from 'node:readline';
import { openStore } from '../../src/store/open';

const store = openStore(process.argv[2]!);
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'go') continue;
  await store.audit.append({ at: new Date(), type: 'login.failed', accountId: null, loginId: 'other-process', ip: null, userAgent: null, operator: null, detail: {} });
  process.stdout.write('written\n');
  break;
}
await store.close();
// stdin is the parent's open pipe: it would keep this process alive.
process.exit(0);
