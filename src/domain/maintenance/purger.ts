/**
 * Deletes what has expired: login flows, WebAuthn challenges, pending TOTP keys and address
 * changes (their codes with them), throttle rows whose window is over, sessions past their
 * absolute expiry, recognised browsers expired or revoked, and mails sent long ago. Without it
 * these tables only grow, and anyone able to start flows could fill the disk.
 *
 * It runs in every server process, on a jittered timer so that processes started together do not
 * purge together, in small batches, each its own short statement with a pause between them, so it
 * never holds SQLite's write lock for long and stays off the request path. Several processes
 * purging at once is safe: a row deleted by one is simply not found by the other (PostgreSQL skips
 * rows another has locked). The audit log is append-only and never purged (its table refuses
 * DELETE); a throttle row still locked stays however old its window.
 *
 * Rows are kept for a grace period after their expiry: a customer returning to an expired flow
 * is told that it expired, not that it does not exist, and a session's row outlives any cached
 * check of it.
 */
import { accountKey } from '../login/throttle';
import type { Clock } from '../ports';
import type { ExpiredRowsRepo, PurgeTable } from './repository';

export interface PurgeRules {
  /** Average time between two passes (each is jittered ±20 %); 0 turns the timer off. */
  intervalMs: number;
  /** Rows per DELETE statement. */
  batchSize: number;
  /** Pause between two batches. */
  pauseMs: number;
  /** How long a row is kept after it expired. */
  graceMs: number;
  /** The throttle's counting window: a row is over once its window is. */
  throttleWindowMs: number;
  /** How long a sent mail is kept (delivery questions; its code expired long before). */
  sentMailKeepMs: number;
  /**
   * Throttle rows never purged by age: counters of consecutive failures, which no window ends
   * (the account's hard cap, `acct:` in domain/login/throttle.ts, cleared only by a success or the
   * support desk; NIST SP 800-63B-4 §3.2.2). Purging one would hand an attacker 100 fresh guesses.
   */
  throttleKeysKept: readonly string[];
}

export const DEFAULT_PURGE_RULES: Omit<PurgeRules, 'throttleWindowMs'> = {
  intervalMs: 60_000,
  batchSize: 500,
  pauseMs: 50,
  graceMs: 3600_000,
  sentMailKeepMs: 7 * 24 * 3600_000,
  throttleKeysKept: [accountKey('')],
};

/** At most this many batches per table and pass; the rest waits for the next pass. */
const MAX_BATCHES_PER_PASS = 200;

export const PURGE_TABLES: readonly PurgeTable[] = [
  'login_flows', 'webauthn_challenges', 'totp_enrollments', 'address_changes', 'reauthentication_codes', 'throttle', 'sessions', 'recognized_devices', 'outbox',
  'password_reset_flows', 'password_reset_codes', 'step_up_grants',
];

export interface PurgePass {
  rows: Partial<Record<PurgeTable, number>>;
  batches: Partial<Record<PurgeTable, number>>;
}

export class Purger {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: {
      store: { expiredRows: ExpiredRowsRepo };
      clock: Clock;
      /** Called after each batch that deleted rows (the metric). */
      onPurged?: (table: PurgeTable, rows: number) => void;
      onError?: (e: unknown) => void;
      /** Jitter in [0, 1); not a security decision. */
      jitter?: () => number;
    },
    private readonly rules: PurgeRules,
  ) {}

  /** The cut-off for a table: rows that ended before it go. */
  private before(table: PurgeTable, now: number): Date {
    const { graceMs, throttleWindowMs, sentMailKeepMs } = this.rules;
    if (table === 'throttle') return new Date(now - throttleWindowMs - graceMs);
    if (table === 'outbox') return new Date(now - sentMailKeepMs);
    return new Date(now - graceMs);
  }

  /** One pass over every table. */
  async runOnce(): Promise<PurgePass> {
    const pass: PurgePass = { rows: {}, batches: {} };
    for (const table of PURGE_TABLES) {
      for (let batch = 0; batch < MAX_BATCHES_PER_PASS && !this.stopped; batch++) {
        const now = this.deps.clock.now();
        const keep = table === 'throttle' ? this.rules.throttleKeysKept : [];
        const n = await this.deps.store.expiredRows.deleteBatch(table, this.before(table, now.getTime()), now, this.rules.batchSize, keep);
        pass.batches[table] = (pass.batches[table] ?? 0) + 1;
        if (n > 0) {
          pass.rows[table] = (pass.rows[table] ?? 0) + n;
          this.deps.onPurged?.(table, n);
        }
        if (n < this.rules.batchSize) break;
        await new Promise((r) => setTimeout(r, this.rules.pauseMs));
      }
    }
    return pass;
  }

  start(): void {
    if (this.rules.intervalMs <= 0 || this.timer || this.stopped) return;
    this.schedule();
  }

  private schedule(): void {
    const jitter = 0.8 + 0.4 * (this.deps.jitter ?? Math.random)();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runOnce()
        .catch((e) => this.deps.onError?.(e))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.schedule();
        });
    }, Math.round(this.rules.intervalMs * jitter));
    // A pending purge never keeps a process alive.
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass under way to finish its current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
