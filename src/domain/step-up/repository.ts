/** What the step-up domain needs from storage (implemented in src/store/repositories/). */
import type { StepUpGrant, StepUpMethod, StepUpPurpose } from './records';

export interface StepUpGrantRepo {
  /** Records a fresh grant; a newer step-up for the same session and purpose replaces the old one. */
  put(grant: StepUpGrant): Promise<void>;
  /**
   * Spends the grant in one conditional update (`… SET consumed_at = now WHERE … AND consumed_at
   * IS NULL AND expires_at > now RETURNING`): of any number of concurrent consumes on any number
   * of processes, one gets the grant.
   */
  /** The session's most recent step-up, of any purpose, while its row lasts (purged after it expires). */
  latest(sessionId: number): Promise<{ method: StepUpMethod; grantedAt: Date } | undefined>;
  consume(key: { sessionId: number; accountId: number; purpose: StepUpPurpose; intentHash: string; tokenHash: string }, now: Date): Promise<{ method: StepUpMethod; grantedAt: Date } | undefined>;
}
