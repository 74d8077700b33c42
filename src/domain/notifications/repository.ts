/** What the notifications domain needs from storage (implemented in src/store/repositories/). */
import type { DevMail, OutboxMail, OutboxMailInput } from './records';

export interface OutboxRepo {
  enqueue(mail: OutboxMailInput): Promise<void>;
  /** Leases due mails to this worker; a crashed worker's lease runs out and another sends them. */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<OutboxMail[]>;
  markSent(id: number, at: Date): Promise<void>;
  markFailed(id: number, error: string, nextAttemptAt: Date): Promise<void>;
  pendingStats(): Promise<{ depth: number; oldestCreatedAt: Date | null }>;
  /** Is any unsent mail failing, or queued before `queuedBefore`? */
  isDelayed(queuedBefore: Date): Promise<boolean>;
}

export interface DevMailboxRepo {
  deliver(mail: Omit<DevMail, 'id'>): Promise<void>;
  list(limit: number): Promise<DevMail[]>;
}
