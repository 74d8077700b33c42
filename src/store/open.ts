import { resolve } from 'node:path';
import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { KyselyStore } from './kysely-store';

/** DATABASE_URL: `sqlite:PATH` (relative to the working directory) or `postgres://…`. */
export function openStore(databaseUrl: string, opts: { maxConnections?: number } = {}): KyselyStore {
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) return openPostgresStore(databaseUrl, opts);
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    return openSqliteStore(path === ':memory:' ? path : resolve(path));
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${databaseUrl.split(':')[0]}:…)`);
}

/** Errors that mean "the database is not reachable right now": answered with 503, not 500. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  if (!code) return /Connection terminated|timeout exceeded when trying to connect/i.test(String((err as Error)?.message ?? ''));
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', 'SQLITE_BUSY'].includes(code);
}
