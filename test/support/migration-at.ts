/**
 * A SQLite file migrated up to a named migration, with one account, so a migration test can put
 * rows in the shape they had before it and then run the rest (never edit a shipped migration: test
 * what the next one does to the rows it finds).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from '../../src/store/migrations';

export async function sqliteAtMigration(name: string): Promise<{ raw: BetterSqlite3.Database; now: number; migrateToLatest: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'mamori-migration-'));
  const raw = new BetterSqlite3(join(dir, 'm.db'));
  const db = new Kysely<Record<string, never>>({ dialect: new SqliteDialect({ database: raw }) });
  const migrator = new Migrator({ db, provider: migrationProvider('sqlite') });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  assert.equal((await migrator.migrateTo(name)).error, undefined);
  const now = Date.now();
  raw
    .prepare('INSERT INTO accounts (id, login_id, name, login_password_hash, trading_password_hash, trading_password_failures, password_changed_at, created_at, updated_at) VALUES (1, ?, ?, ?, ?, 0, ?, ?, ?)')
    .run('u1', '群馬 五郎', 'x', 'y', now, now, now);
  return {
    raw,
    now,
    migrateToLatest: async () => assert.equal((await migrator.migrateToLatest()).error, undefined),
  };
}
