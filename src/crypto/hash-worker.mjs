// A password-hashing thread (hash-pool.ts). Plain JavaScript: worker threads start without the
// TypeScript loader. It lowers its own scheduling priority first (Linux: nice is per thread), so
// at the 09:00 rush argon2 uses the cores the event loop leaves idle and session checks stay fast.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { hashSync, verifySync } from '@node-rs/argon2';

try {
  setPriority(workerData.nice);
} catch {
  // Not permitted or not supported here: hashing still works, only without the priority hint.
}

parentPort.on('message', ({ id, op, password, stored }) => {
  try {
    const result = op === 'hash' ? hashSync(password, workerData.params) : verifySync(stored, password);
    parentPort.postMessage({ id, result });
  } catch (e) {
    // A malformed stored hash fails verification; it is not an error of the service.
    parentPort.postMessage({ id, result: op === 'verify' ? false : undefined, error: op === 'hash' ? String(e?.message ?? e) : undefined });
  }
});
