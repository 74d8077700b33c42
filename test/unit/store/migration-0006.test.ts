/** Migration 0006 copies login ID and name into the sessions that are still open. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from '../../../src/store/migrations';

const dir = mkdtempSync(join(tmpdir(), 'mamori-m6-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('back-fills open sessions and leaves ended ones alone', async () => {
  const raw = new BetterSqlite3(join(dir, 'm.db'));
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
  const migrator = new Migrator({ db, provider: migrationProvider('sqlite') });
  assert.equal((await migrator.migrateTo('0005_addresses')).error, undefined);
  const now = Date.now();
  raw.prepare('INSERT INTO accounts (id, login_id, name, login_password_hash, trading_password_hash, trading_password_failures, password_changed_at, created_at, updated_at) VALUES (1, ?, ?, ?, ?, 0, ?, ?, ?)').run('u1', '群馬 五郎', 'x', 'y', now, now, now);
  const insert = raw.prepare('INSERT INTO sessions (token_hash, account_id, method, authenticated_at, last_seen_at, idle_expires_at, absolute_expires_at, ended_at, ip, user_agent) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)');
  insert.run('open', 'password', now, now, now + 1e6, now + 1e6, null, '192.0.2.1', 'ua');
  insert.run('ended', 'password', now, now, now + 1e6, now + 1e6, now, '192.0.2.1', 'ua');
  assert.equal((await migrator.migrateToLatest()).error, undefined);
  const rows = raw.prepare('SELECT token_hash, login_id, name FROM sessions ORDER BY token_hash').all();
  assert.deepEqual(rows, [
    { token_hash: 'ended', login_id: null, name: null },
    { token_hash: 'open', login_id: 'u1', name: '群馬 五郎' },
  ]);
  await db.destroy();
});
