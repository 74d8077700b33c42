/**
 * Processes sharing one SQLite file learn of each other's session changes from the
 * `session_changes` feed (store/sqlite.ts): a committed change reaches the other store's listener
 * within the poll interval, a rolled-back one never does, a gap (rows pruned before they were
 * seen) makes it forget everything, and rows older than an hour are pruned.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite';
import type { KyselyStore } from '../../../src/store/kysely-store';

const dir = mkdtempSync(join(tmpdir(), 'mamori-feed-'));
const path = join(dir, 'f.db');
let a: KyselyStore;
let b: KyselyStore;
const heard: (number | null)[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(f: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await sleep(20);
}

before(async () => {
  a = openSqliteStore(path);
  await a.migrate();
  // A row from two hours ago, which the next poll prunes.
  const raw = new BetterSqlite3(path);
  raw.prepare('INSERT INTO session_changes (account_id, at) VALUES (?, ?)').run(1, Date.now() - 7_200_000);
  raw.close();
  b = openSqliteStore(path);
  b.onSessionsChanged((id) => heard.push(id));
  await sleep(300);
});
after(async () => {
  await a.close();
  await b.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a committed change reaches the other store; a rolled-back one does not', async () => {
  heard.length = 0;
  await assert.rejects(
    a.transaction(async (tx) => {
      await tx.sessions.announceChange(41);
      throw new Error('rolled back');
    }),
  );
  await a.transaction((tx) => tx.sessions.announceChange(42));
  await until(() => heard.length > 0);
  await sleep(300);
  assert.deepEqual(heard, [42]);
});

it('rows older than an hour are pruned (by the checkpointing thread, within its first second)', async () => {
  const raw = new BetterSqlite3(path, { readonly: true });
  const old = () => raw.prepare('SELECT count(*) FROM session_changes WHERE at < ?').pluck().get(Date.now() - 3_600_000);
  await until(() => old() === 0, 3000);
  assert.equal(old(), 0);
  assert.ok((raw.prepare('SELECT count(*) FROM session_changes').pluck().get() as number) >= 1, 'recent rows stay');
  raw.close();
});

it('a gap in the feed (rows pruned unseen) makes the listener forget everything', async () => {
  heard.length = 0;
  const raw = new BetterSqlite3(path);
  const seq = raw.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'session_changes'").pluck().get() as number;
  raw.prepare('INSERT INTO session_changes (id, account_id, at) VALUES (?, ?, ?)').run(seq + 5, 43, Date.now());
  raw.close();
  await until(() => heard.length > 0);
  assert.deepEqual(heard, [null]);
  // And it carries on from there.
  await a.transaction((tx) => tx.sessions.announceChange(44));
  await until(() => heard.length > 1);
  assert.deepEqual(heard, [null, 44]);
});

it('a poll during one of its own transactions does not skip another process’s change after a rollback', async () => {
  const c = openSqliteStore(path);
  const heardByC: (number | null)[] = [];
  c.onSessionsChanged((id) => heardByC.push(id));
  await sleep(300);
  await assert.rejects(
    c.transaction(async (tx) => {
      await tx.sessions.announceChange(50);
      await sleep(400); // c polls meanwhile, inside this transaction
      throw new Error('rolled back');
    }),
  );
  // Another process's change now takes the id the rolled-back row had.
  await a.transaction((tx) => tx.sessions.announceChange(51));
  await until(() => heardByC.includes(51));
  await c.close();
  assert.deepEqual(heardByC, [51]);
});
