/**
 * The cheap look in front of `PRAGMA data_version` (store/wal-index-header.ts): it may answer
 * "maybe" too often, never "no" after a commit by any connection.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { walIndexHeader } from '../../../src/store/wal-index-header';

const dir = mkdtempSync(join(tmpdir(), 'mamori-walhdr-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('says no change only while nobody commits; a commit by another connection, or by its own, is a change', () => {
  const path = join(dir, 'a.db');
  const serving = new BetterSqlite3(path);
  serving.pragma('journal_mode = WAL');
  serving.exec('CREATE TABLE t (x)');
  const other = new BetterSqlite3(path);
  const header = walIndexHeader(path);
  assert.equal(header.maybeChanged(), true, 'the first look knows nothing');
  assert.equal(header.maybeChanged(), false);
  serving.prepare('SELECT count(*) FROM t').get();
  other.prepare('SELECT count(*) FROM t').get();
  assert.equal(header.maybeChanged(), false, 'reads change nothing');
  for (let i = 0; i < 50; i++) {
    (i % 2 ? other : serving).prepare('INSERT INTO t VALUES (?)').run(i);
    assert.equal(header.maybeChanged(), true, `commit ${i}`);
    assert.equal(header.maybeChanged(), false);
  }
  serving.pragma('wal_checkpoint(TRUNCATE)');
  other.prepare('INSERT INTO t VALUES (?)').run(99);
  assert.equal(header.maybeChanged(), true, 'a commit into a log started anew after a checkpoint');
  header.forget();
  assert.equal(header.maybeChanged(), true, 'after forget, maybe again');
  header.close();
  assert.equal(header.maybeChanged(), true, 'closed: always maybe');
  serving.close();
  other.close();
});

it('without a WAL index (in memory, or no -shm file) it always says maybe', () => {
  const memory = walIndexHeader(null);
  assert.equal(memory.maybeChanged(), true);
  assert.equal(memory.maybeChanged(), true);
  const missing = walIndexHeader(join(dir, 'none.db'));
  assert.equal(missing.maybeChanged(), true);
  assert.equal(missing.maybeChanged(), true);
});
