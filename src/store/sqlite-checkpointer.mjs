// Copies the SQLite write-ahead log back into the database file from its own thread and
// connection (sqlite.ts). A checkpoint fsyncs the file; run by the serving connection it stalled
// the event loop for tens of milliseconds (docs/performance.md). PASSIVE never blocks writers.
// Also prunes the session-change feed (a write that may wait for another process's lock: never on
// the serving connection).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
let prunedAt = 0;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next tick tries again.
  }
  const now = Date.now();
  if (now - prunedAt < 60_000) return;
  prunedAt = now;
  try {
    // Rows older than an hour: far older than any session-cache entry (sqlite.ts, pollSessionChanges).
    db.prepare('DELETE FROM session_changes WHERE at < ?').run(now - 3_600_000);
  } catch {
    // Not migrated yet, or busy: a minute later.
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
