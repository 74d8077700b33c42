/**
 * A fresh, empty database per test: a temporary SQLite file, or — when TEST_DATABASE_URL points
 * at a PostgreSQL server — a new database created on it and dropped afterwards. The same tests
 * run unchanged on both (CONVENTIONS habit 8).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { AuditEvent } from '../../src/domain/audit';
import type { KyselyStore } from '../../src/store/kysely-store';
import { openPostgresStore } from '../../src/store/postgres';
import { toAudit } from '../../src/store/repositories/audit';
import { openSqliteStore } from '../../src/store/sqlite';

export interface TestStore {
  store: KyselyStore;
  /** A DATABASE_URL for another process (CLI, second server) to open the same database. */
  url: string;
  drop(): Promise<void>;
}

export const pgUrl = process.env.TEST_DATABASE_URL;
export const storeKind = pgUrl ? 'postgres' : 'sqlite';

export async function createTestStore(): Promise<TestStore> {
  if (pgUrl) {
    const name = `mamori_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(pgUrl);
    u.pathname = `/${name}`;
    const store = openPostgresStore(u.toString(), { maxConnections: 10 });
    await store.migrate();
    return {
      store,
      url: u.toString(),
      async drop() {
        await store.close().catch(() => undefined);
        const a = new pg.Client({ connectionString: pgUrl });
        await a.connect();
        try {
          for (let attempt = 1; ; attempt++) {
            try {
              await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
              break;
            } catch (e) {
              // FORCE may not terminate an autovacuum worker that happens to be in the database
              // (42501 for a non-superuser); it is gone moments later. Seen once in CI.
              if ((e as { code?: string }).code !== '42501' || attempt >= 50) throw e;
              await new Promise((r) => setTimeout(r, 100));
            }
          }
        } finally {
          await a.end();
        }
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mamori-test-'));
  const path = join(dir, 'mamori.db');
  const store = openSqliteStore(path);
  await store.migrate();
  return {
    store,
    url: `sqlite:${path}`,
    async drop() {
      await store.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The latest audit events, newest first, read straight from the table (no service lists them). */
export async function recentAuditEvents(store: KyselyStore, limit: number): Promise<AuditEvent[]> {
  const rows = await store.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toAudit);
}
