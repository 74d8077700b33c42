/** What the maintenance domain needs from storage (implemented in src/store/repositories/). */

/** Tables whose rows expire; the purger (domain/maintenance/purger.ts) deletes them in batches. */
export type PurgeTable =
  | 'login_flows'
  | 'webauthn_challenges'
  | 'totp_enrollments'
  | 'address_changes'
  | 'reauthentication_codes'
  | 'throttle'
  | 'sessions'
  | 'recognized_devices'
  | 'outbox'
  | 'step_up_grants'
  | 'password_reset_flows'
  | 'password_reset_codes';

export interface ExpiredRowsRepo {
  /**
   * Deletes at most `limit` rows of `table` that ended before `before` (a flow, challenge, code or
   * pending change: its expiry; a session: its absolute expiry; a recognised browser: its expiry
   * or revocation; a mail: when it was sent; a throttle row: the start of its window, and only
   * when it is not locked at `now`, nor its key one of `keepKeyPrefixes`). Returns how many. The
   * audit log has no such method.
   */
  deleteBatch(table: PurgeTable, before: Date, now: Date, limit: number, keepKeyPrefixes?: readonly string[]): Promise<number>;
}
