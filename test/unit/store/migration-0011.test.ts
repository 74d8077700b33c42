/** Migration 0011 turns each waiting state of a login flow in flight into the method it stood for. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sqliteAtMigration } from '../../support/migration-at';

it('keeps flows in flight going: each waiting state becomes its method, done and failed stay', async () => {
  const { raw, now, migrateToLatest } = await sqliteAtMigration('0010_reauthentication');
  const insert = raw.prepare('INSERT INTO login_flows (id, account_id, state, code_attempts, code_send_count, ip, user_agent, created_at, expires_at) VALUES (?, 1, ?, 0, 0, ?, ?, ?, ?)');
  for (const state of ['awaiting_code', 'awaiting_totp', 'awaiting_passkey', 'done', 'failed']) insert.run(state, state, '192.0.2.1', 'ua', now, now + 1e6);
  await migrateToLatest();
  const rows = raw.prepare('SELECT id, state, method_shown, methods_open FROM login_flows ORDER BY id').all();
  assert.deepEqual(rows, [
    { id: 'awaiting_code', state: 'awaiting_second_step', method_shown: 'email_code', methods_open: 'email_code' },
    { id: 'awaiting_passkey', state: 'awaiting_second_step', method_shown: 'passkey', methods_open: 'passkey' },
    { id: 'awaiting_totp', state: 'awaiting_second_step', method_shown: 'totp', methods_open: 'totp,recovery_code' },
    { id: 'done', state: 'done', method_shown: null, methods_open: '' },
    { id: 'failed', state: 'failed', method_shown: null, methods_open: '' },
  ]);
});
