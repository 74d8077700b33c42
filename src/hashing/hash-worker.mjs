// A password-hashing thread (hash-pool.ts). Plain JavaScript: worker threads start without the
// TypeScript loader. It lowers its own scheduling priority first (Linux: nice is per thread), so
// at the 09:00 rush argon2 uses the cores the event loop leaves idle and session checks stay fast.
import { pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { hashSync, verifySync } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

try {
  setPriority(workerData.nice);
} catch {
  // Not permitted or not supported here: hashing still works, only without the priority hint.
}

/**
 * Imported legacy hashes are verified here too, not on the event loop: a bcrypt-12 check is
 * 330 ms of CPU. `legacy` comes parsed from crypto/legacy-hashes.ts.
 */
function verifyLegacy(legacy, password) {
  if (legacy.scheme === 'bcrypt') return bcrypt.compareSync(password, legacy.stored);
  const expected = Buffer.from(legacy.hash, 'base64');
  const derived = pbkdf2Sync(password, Buffer.from(legacy.salt, 'base64'), legacy.iterations, expected.length, legacy.digest);
  return derived.length === expected.length && timingSafeEqual(derived, expected);
}

parentPort.on('message', ({ id, op, password, stored, legacy }) => {
  try {
    const result = op === 'hash' ? hashSync(password, workerData.params) : op === 'legacy' ? verifyLegacy(legacy, password) : verifySync(stored, password);
    parentPort.postMessage({ id, result });
  } catch (e) {
    // A malformed stored hash fails verification; it is not an error of the service.
    parentPort.postMessage({ id, result: op === 'verify' ? false : undefined, error: op === 'hash' ? String(e?.message ?? e) : undefined });
  }
});
