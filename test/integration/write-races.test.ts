/**
 * A transaction that reads and then writes while another process commits in between. On SQLite a
 * transaction begun with a plain BEGIN holds a read snapshot, and its first write after another
 * connection's commit fails at once with SQLITE_BUSY_SNAPSHOT (the busy timeout does not apply):
 * under 60 concurrent guesses on two processes that surfaced as a 500. Every transaction must
 * instead wait its turn and succeed, on SQLite and PostgreSQL alike.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { createTestStore, recentAuditEvents, storeKind, type TestStore } from '../support/test-store';

describe(`a read-then-write transaction while another process commits (${storeKind})`, () => {
  let db: TestStore;
  before(async () => {
    db = await createTestStore();
  });
  after(async () => db?.drop());

  it('both writes land; neither fails', async () => {
    const other = spawn(process.execPath, ['--import', 'tsx', 'test/support/other-writer.ts', db.url], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: other.stdout! });
    const said = (word: string) => new Promise<void>((resolve) => lines.on('line', (l) => l === word && resolve()));
    const exited = new Promise<number | null>((resolve) => other.on('exit', resolve));
    const written = said('written');
    await said('ready');
    await db.store.transaction(async (tx) => {
      await tx.audit.listForAccount(1, 1);
      other.stdin!.write('go\n');
      // Under a plain BEGIN the other process commits now; when this transaction holds the write
      // lock from its start, the other waits for it, and this one goes on after a moment.
      await Promise.race([written, new Promise((r) => setTimeout(r, 1500))]);
      await tx.audit.append({ at: new Date(), type: 'login.failed', accountId: null, loginId: 'this-process', ip: null, userAgent: null, operator: null, detail: {} });
    });
    assert.equal(await exited, 0, 'the other process wrote too');
    const loginIds = (await recentAuditEvents(db.store, 10)).map((e) => e.loginId).sort();
    assert.deepEqual(loginIds, ['other-process', 'this-process']);
  });
});
