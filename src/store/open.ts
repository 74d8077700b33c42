import { resolve } from 'node:path';
import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { KyselyStore } from './kysely-store';

/** DATABASE_URL: `sqlite:PATH` (relative to the working directory) or `postgres://…`. */
export function openStore(databaseUrl: string, opts: { maxConnections?: number; shortLived?: boolean } = {}): KyselyStore {
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) return openPostgresStore(databaseUrl, opts);
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    return openSqliteStore(path === ':memory:' ? path : resolve(path), { checkpointer: !opts.shortLived });
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${databaseUrl.split(':')[0]}:…)`);
}

