/**
 * An analysed SQLite file (ANALYZE, PRAGMA optimize) holds STAT4 samples, with which SQLite
 * recompiles a prepared statement every time its parameter changes. Opening the store drops
 * them, keeps STAT1, and the session lookup then runs without recompiling.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'mamori-stat4-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('opening an analysed database drops STAT4 samples and keeps STAT1', async () => {
  const path = join(dir, 'a.db');
  const first = openSqliteStore(path);
  await first.migrate();
  await first.close();

  const raw = new BetterSqlite3(path);
  const now = Date.now();
  raw.prepare('INSERT INTO accounts (id, login_id, name, login_password_hash, trading_password_hash, trading_password_failures, password_changed_at, created_at, updated_at) VALUES (1, ?, ?, ?, ?, 0, ?, ?, ?)').run('u1', 'n', 'x', 'y', now, now, now);
  const insert = raw.prepare('INSERT INTO sessions (token_hash, account_id, method, authenticated_at, last_seen_at, idle_expires_at, absolute_expires_at, ip, user_agent) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)');
  raw.transaction(() => {
    for (let i = 0; i < 500; i++) insert.run(`h${i}`, 'password', now, now, now + 1e6, now + 1e6, '192.0.2.1', 'ua');
  })();
  raw.exec('ANALYZE');
  const count = (t: string) => (raw.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  assert.ok(count('sqlite_stat4') > 0, 'ANALYZE wrote STAT4 samples');
  raw.close();

  const store = openSqliteStore(path);
  const check = new BetterSqlite3(path, { readonly: true });
  assert.equal((check.prepare('SELECT count(*) AS n FROM sqlite_stat4').get() as { n: number }).n, 0);
  assert.ok((check.prepare('SELECT count(*) AS n FROM sqlite_stat1').get() as { n: number }).n > 0);
  check.close();
  const found = await store.sessions.findActiveByTokenHash('h42');
  assert.equal(found?.loginId, 'u1');
  assert.equal(await store.sessions.findActiveByTokenHash('nope'), undefined);
  await store.close();
});
