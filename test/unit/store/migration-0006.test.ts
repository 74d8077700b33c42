/** Migration 0006 copies login ID and name into the sessions that are still open. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sqliteAtMigration } from '../../support/migration-at';

it('back-fills open sessions and leaves ended ones alone', async () => {
  const { raw, now, migrateToLatest } = await sqliteAtMigration('0005_addresses');
  const insert = raw.prepare('INSERT INTO sessions (token_hash, account_id, method, authenticated_at, last_seen_at, idle_expires_at, absolute_expires_at, ended_at, ip, user_agent) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)');
  insert.run('open', 'password', now, now, now + 1e6, now + 1e6, null, '192.0.2.1', 'ua');
  insert.run('ended', 'password', now, now, now + 1e6, now + 1e6, now, '192.0.2.1', 'ua');
  await migrateToLatest();
  const rows = raw.prepare('SELECT token_hash, login_id, name FROM sessions ORDER BY token_hash').all();
  assert.deepEqual(rows, [
    { token_hash: 'ended', login_id: null, name: null },
    { token_hash: 'open', login_id: 'u1', name: '群馬 五郎' },
  ]);
});
