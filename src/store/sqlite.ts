/** The embedded default: one SQLite file (better-sqlite3), WAL so readers never wait for the writer. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema';
import { KyselyStore } from './kysely-store';
import { LiteralLimitSqliteDialect } from './sqlite-compiler';
import { activeSessionSql, type ActiveSessionRow } from './repositories/session-check';
import { walIndexHeader } from './wal-index-header';

/** `checkpointer: false` for a short-lived process (a CLI command): SQLite's own checkpoint at commit suffices, and no thread is started and waited for. */
export function openSqliteStore(path: string, opts: { checkpointer?: boolean } = {}): KyselyStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives a process kill (kill -9); only a power
  // loss may lose the last transactions, which the operations guide states.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Several processes may share the file (e.g. `mamori accounts import` while serving): wait for locks.
  sqlite.pragma('busy_timeout = 5000');
  dropStat4(sqlite);
  const checkpointer = path === ':memory:' || opts.checkpointer === false ? null : startCheckpointer(sqlite, path);
  const db = new Kysely<Database>({ dialect: new LiteralLimitSqliteDialect({ database: withStatementCache(sqlite) }) });
  // The session check, every request of the trading service: one prepared statement, no query
  // builder, no connection queue (better-sqlite3 is synchronous; measured in bench/).
  // Prepared on first use: the tables exist only once migrations have run.
  let active: BetterSqlite3.Statement | null = null;
  let byId: BetterSqlite3.Statement | null = null;
  let feed: SessionFeed | null = null;
  const committed = committedReader(sqlite, path, db);
  return new KyselyStore(db, 'sqlite', {
    listen: (listener) => {
      feed = pollSessionChanges(sqlite, listener);
      return feed.stop;
    },
    catchUpSessions: () => feed?.catchUp(),
    announceSessions: 'feed',
    onClose: async () => {
      committed.close();
      await checkpointer?.stop();
    },
    activeSessionRow: (tokenHash) => {
      if (sqlite.inTransaction) return committed.activeSessionRow(tokenHash);
      active ??= sqlite.prepare(activeSessionSql('?'));
      return active.get(tokenHash) as ActiveSessionRow | undefined;
    },
    sessionRowById: (id) => {
      // In doubt (see committedReader): the check reads as on any miss.
      if (sqlite.inTransaction) return undefined;
      byId ??= sqlite.prepare(activeSessionSql('?', 'id'));
      return byId.get(id) as ActiveSessionRow | undefined;
    },
  });
}

/**
 * The session check reads on the serving connection outside Kysely's queue (it is synchronous).
 * In the middle of one of our own transactions (one that awaits a worker or the network lets
 * other requests run meanwhile) such a read would see that transaction's uncommitted rows: a
 * step-up later rolled back could be answered, and cached. So while a transaction is open the
 * check reads on a second connection, which in WAL mode sees only what is committed and never
 * waits for the writer (test/integration/fast-paths.test.ts). An in-memory database has no second
 * connection: there the read waits in Kysely's queue for the transaction to end.
 */
function committedReader(sqlite: BetterSqlite3.Database, path: string, db: Kysely<Database>) {
  let other: { conn: BetterSqlite3.Database; active: BetterSqlite3.Statement } | null = null;
  return {
    activeSessionRow(tokenHash: string): ActiveSessionRow | undefined | Promise<ActiveSessionRow | undefined> {
      if (path === ':memory:' || sqlite.memory) {
        return db.executeQuery(CompiledQuery.raw(activeSessionSql('?'), [tokenHash])).then((r) => r.rows[0] as ActiveSessionRow | undefined);
      }
      if (!other) {
        const conn = new BetterSqlite3(path, { fileMustExist: true });
        conn.pragma('busy_timeout = 5000');
        other = { conn, active: conn.prepare(activeSessionSql('?')) };
      }
      return other.active.get(tokenHash) as ActiveSessionRow | undefined;
    },
    close(): void {
      other?.conn.close();
      other = null;
    },
  };
}

/**
 * better-sqlite3's SQLite keeps STAT4 samples when the database is analysed (`ANALYZE`, or the
 * `PRAGMA optimize` SQLite recommends). With them, every prepared statement that compares an
 * indexed column with a parameter is compiled anew whenever the bound value changes, so the
 * statement cache stops working: the session check by token hash went from 6 to 15 µs, more on
 * the real query (measured in bench/). Our lookups are by unique or highly selective keys, which
 * the STAT1 figures plan as well; the samples are dropped and the planner reloads what is left.
 */
function dropStat4(sqlite: BetterSqlite3.Database): void {
  const exists = sqlite.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat4'").get();
  if (!exists || !sqlite.prepare('SELECT 1 FROM sqlite_stat4 LIMIT 1').get()) return;
  sqlite.exec('DELETE FROM sqlite_stat4; ANALYZE sqlite_schema;');
}

/**
 * SQLite has no LISTEN/NOTIFY. A session change (logout, password change, step-up) is written to
 * `session_changes` in its own transaction, and every process sharing the file reads the new rows
 * four times a second, so a session ended by one process (or by `mamori support …`) leaves the
 * others' caches within about 250 ms. A cheap primary-key range read on the serving connection.
 * Ids only grow, without gaps (AUTOINCREMENT, writers serialised), so a gap means rows pruned
 * before this process saw them: it forgets everything. The checkpointing thread prunes rows after
 * an hour, far longer than any cache entry lives (a write, kept off the serving connection).
 * Only reads here: in WAL mode they never wait for another process's lock.
 *
 * `catchUp` makes "at once" exact: before a session check is answered from the cache, the cache
 * asks it, and it reads the feed then and there if another connection has committed anything since
 * the last read (`PRAGMA data_version`, a counter SQLite keeps in shared memory: no disk read). A
 * session ended by another process is refused on its very next request, not up to 250 ms later
 * (the counter is read once per turn of the event loop; see `catchUp`).
 */
export interface SessionFeed {
  stop(): Promise<void>;
  catchUp(): void;
}

export function pollSessionChanges(sqlite: BetterSqlite3.Database, listener: (accountId: number | null) => void, intervalMs = 250): SessionFeed {
  type Row = { id: number; account_id: number };
  let statements: { since: BetterSqlite3.Statement; max: BetterSqlite3.Statement } | null = null;
  let last: number | null = null;
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const header = walIndexHeader(!sqlite.memory && sqlite.pragma('journal_mode', { simple: true }) === 'wal' ? sqlite.name : null);
  let readAtVersion: unknown = null;
  let askedThisTurn = false;
  const endTurn = () => {
    askedThisTurn = false;
  };
  const poll = () => {
    // In the middle of one of our own transactions the read would see its uncommitted rows; were
    // it rolled back, their ids would be handed out again and another process's change missed.
    if (sqlite.inTransaction) return;
    try {
      readAtVersion = dataVersion.get();
      // Prepared on first use: the table exists only once migrations have run.
      statements ??= {
        since: sqlite.prepare('SELECT id, account_id FROM session_changes WHERE id > ? ORDER BY id LIMIT 1000'),
        // The last id handed out, even if its row was pruned since.
        max: sqlite.prepare("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'session_changes'), 0)").pluck(),
      };
      if (last === null) {
        last = statements.max.get() as number;
        return;
      }
      const rows = statements.since.all(last) as Row[];
      if (rows.length === 1000 || (rows.length > 0 && rows[0]!.id !== last + 1)) {
        listener(null);
        last = statements.max.get() as number;
      } else {
        for (const r of rows) listener(r.account_id);
        if (rows.length) last = rows[rows.length - 1]!.id;
      }
    } catch {
      // Not migrated yet, or the file busy: changes may have been missed, so forget everything.
      if (last !== null) listener(null);
    }
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      header.close();
    },
    catchUp: () => {
      if (last === null || sqlite.inTransaction || askedThisTurn) return;
      // Once per turn of the event loop, and the pragma only when the WAL index's header moved:
      // the pragma opens a read transaction, 5.5–7.5 µs here (docs/performance.md), and asked on
      // every check it took a sixth of a cached check's budget at the 09:00 rush. One look per
      // turn sees every change committed before the turn began: the requests of a turn were read
      // from their sockets in it, so only one sent within the turn's own few milliseconds could
      // have been sent after a commit that this look missed.
      askedThisTurn = true;
      setImmediate(endTurn);
      // Nobody committed since the last look: nothing to read (wal-index-header.ts).
      if (!header.maybeChanged()) return;
      try {
        if (dataVersion.get() !== readAtVersion) poll();
      } catch {
        // The file busy: the timer's next read catches up, or the next turn's look.
        header.forget();
      }
    },
  };
}

/**
 * Checkpoints move out of the request path: the serving connection only checkpoints as a safety
 * net when the log has grown very large, and a worker thread checkpoints every second.
 */
function startCheckpointer(sqlite: BetterSqlite3.Database, path: string) {
  sqlite.pragma('wal_autocheckpoint = 20000');
  const worker = new Worker(new URL('./sqlite-checkpointer.mjs', import.meta.url), { workerData: { path, intervalMs: 1000 } });
  worker.on('error', () => sqlite.pragma('wal_autocheckpoint = 1000'));
  worker.unref();
  return {
    async stop() {
      worker.postMessage('stop');
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => void worker.terminate().then(() => resolve()), 1000);
        worker.once('exit', () => (clearTimeout(t), resolve()));
      });
    },
  };
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running an
 * indexed read. Our queries come from a fixed set of builders with bound parameters, so the
 * distinct SQL strings are few: keep their prepared statements (measured in bench/, see
 * docs/performance.md). The cap only guards against an unforeseen stream of distinct strings.
 *
 * Kysely opens a transaction with a plain BEGIN, which takes only a read snapshot: when another
 * process commits before the transaction's first write, that write fails at once with
 * SQLITE_BUSY_SNAPSHOT (the busy timeout does not apply to it), a 500 under 60 concurrent guesses
 * on two processes (test/integration/write-races.test.ts). BEGIN IMMEDIATE takes the write lock
 * at the start and waits for it under the busy timeout; in one process Kysely runs one
 * transaction at a time anyway.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, max = 1000): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') return Reflect.get(target, prop, receiver);
      return (text: string) => {
        const sql = /^begin$/i.test(text) ? 'begin immediate' : text;
        let stmt = cache.get(sql);
        if (!stmt) {
          stmt = prepare(sql);
          if (cache.size >= max) cache.delete(cache.keys().next().value!);
          cache.set(sql, stmt);
        }
        return stmt;
      };
    },
  });
}
