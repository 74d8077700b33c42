// Copies the SQLite write-ahead log back into the database file from its own thread and
// connection (sqlite.ts). A checkpoint fsyncs the file; run by the serving connection it stalled
// the event loop for tens of milliseconds (docs/performance.md). PASSIVE never blocks writers.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closing: the next tick tries again.
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
