/**
 * Has any connection, in any process, committed to this SQLite database since the last look? A
 * cheap "maybe" in front of the exact `PRAGMA data_version`.
 *
 * In WAL mode every commit rewrites the WAL index's header: the first 48 bytes of the `-shm`
 * file, which SQLite's WAL format documents and every connection maps into memory. Its change
 * counter moves on each commit, so bytes equal to the last look mean that nobody committed since.
 * Reading them is one small `pread`. `PRAGMA data_version` opens a read transaction: two file
 * locks and a `stat`, 5.5–7.5 µs here. The session check asked it on every turn of the event loop,
 * about 8 % of a cached check's main thread (docs/performance.md).
 *
 * A header caught half-written, or any other doubt (no `-shm` file, a read error), answers "maybe":
 * the caller then asks the exact question, so this can only save work, never miss a commit.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const HEADER_BYTES = 48;

export interface WalIndexHeader {
  /** False only when the header is byte for byte what the previous call read. */
  maybeChanged(): boolean;
  /** The exact question could not be asked after a "maybe": the next call answers "maybe" again. */
  forget(): void;
  close(): void;
}

/** `dbPath`: the database file of a connection in WAL mode; null for an in-memory database. */
export function walIndexHeader(dbPath: string | null): WalIndexHeader {
  const seen = Buffer.alloc(HEADER_BYTES);
  const now = Buffer.alloc(HEADER_BYTES);
  let fd: number | null = null;
  let failed = dbPath === null;
  return {
    maybeChanged() {
      if (failed) return true;
      try {
        fd ??= openSync(`${dbPath}-shm`, 'r');
        if (readSync(fd, now, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return true;
      } catch {
        // No -shm file (not WAL after all) or unreadable: always ask the exact question.
        failed = true;
        return true;
      }
      if (now.equals(seen)) return false;
      now.copy(seen);
      return true;
    },
    forget() {
      seen.fill(0);
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
      failed = true;
    },
  };
}
