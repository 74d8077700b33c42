/** Production storage: PostgreSQL through a pg Pool. Several Mamori processes share it as one. */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema';
import { KyselyStore } from './kysely-store';

const INT8_OID = 20;

export function openPostgresStore(url: string, opts: { maxConnections?: number } = {}): KyselyStore {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.maxConnections ?? 10,
    // Fail fast when the database is down, so requests get a quick 503 instead of hanging.
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30000,
    // Our 64-bit columns hold epoch milliseconds and ids, all far below 2^53: parse them as numbers
    // (per pool, not by changing pg's global parsers).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server (restart) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return new KyselyStore(db, 'postgres');
}
