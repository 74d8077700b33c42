/** Production storage: PostgreSQL through a pg Pool. Several Mamori processes share it as one. */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema';
import { KyselyStore } from './kysely-store';
import { activeSessionSql, type ActiveSessionRow } from './repositories/session-check';
import { SESSIONS_CHANNEL } from './repositories/sessions';

const ACTIVE_SESSION_SQL = activeSessionSql('$1');

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
  return new KyselyStore(db, 'postgres', {
    listen: (listener) => listenForSessionChanges(url, listener),
    announceSessions: 'notify',
    // The session check, every request of the trading service: a named statement, so each pooled
    // connection parses and plans it once instead of at every check (measured in bench/).
    activeSessionRow: async (tokenHash) =>
      (await pool.query<ActiveSessionRow>({ name: 'mamori_active_session', text: ACTIVE_SESSION_SQL, values: [tokenHash] })).rows[0],
  });
}

/**
 * One dedicated connection per process LISTENs for session changes (logout, password change,
 * step-up) made by any process, so their short session caches drop revoked sessions at commit.
 * If the connection is lost (a database restart), notifications may have been missed: the
 * listener is told to forget everything, and the connection is re-made every second until it works.
 */
function listenForSessionChanges(url: string, listener: (accountId: number | null) => void): () => Promise<void> {
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const connect = async () => {
    if (stopped) return;
    // TCP keepalive: a connection that died silently (a dropped NAT entry) would otherwise go on
    // looking connected while no notification arrives.
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    const retry = () => {
      if (client === c) client = null;
      listener(null);
      c.removeAllListeners();
      c.on('error', () => undefined);
      void c.end().catch(() => undefined);
      if (!stopped && !timer) timer = setTimeout(() => ((timer = null), void connect()), 1000);
    };
    c.on('error', retry);
    c.on('end', retry);
    c.on('notification', (n) => {
      const id = Number(n.payload);
      if (Number.isSafeInteger(id)) listener(id);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${SESSIONS_CHANNEL}`);
      if (stopped) {
        c.removeAllListeners();
        c.on('error', () => undefined);
        await c.end().catch(() => undefined);
        return;
      }
      client = c;
      listener(null);
    } catch {
      retry();
    }
  };
  void connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = null;
    if (c) {
      c.removeAllListeners();
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
    }
  };
}
