/** Batched deletion of expired rows for the purger. */
import { sql } from 'kysely';
import type { ExpiredRowsRepo, PurgeTable } from '../../domain/maintenance/repository';
import type { Dialect } from '../migrations/column-types';
import { ms, type Db } from '../rows';

/**
 * What each table's expired rows are, as SQL over `before` and `now` (epoch ms), and the column
 * that names a row. The condition is applied twice: to pick a batch, and again on the rows being
 * deleted, so a row renewed in between (a throttle row that failed again, a TOTP key applied for
 * anew) is kept.
 */
const EXPIRED: Record<PurgeTable, { key: string; expired: (before: number, now: number, keep: readonly string[]) => ReturnType<typeof sql> }> = {
  login_flows: { key: 'id', expired: (b) => sql`expires_at < ${b}` },
  webauthn_challenges: { key: 'id', expired: (b) => sql`expires_at < ${b}` },
  totp_enrollments: { key: 'account_id', expired: (b) => sql`expires_at < ${b}` },
  // One row per (account, slot): a batch names accounts, the condition picks their expired slots.
  address_changes: { key: 'account_id', expired: (b) => sql`expires_at < ${b}` },
  // One row per (account, session, purpose): likewise by account.
  reauthentication_codes: { key: 'account_id', expired: (b) => sql`expires_at < ${b}` },
  throttle: {
    key: 'key',
    expired: (b, n, keep) =>
      sql`window_started_at < ${b} AND (locked_until IS NULL OR locked_until < ${n})${sql.join(
        keep.map((p) => sql` AND key NOT LIKE ${`${p.replace(/[%_\\]/g, '')}%`}`),
        sql``,
      )}`,
  },
  // By the absolute expiry only: the idle expiry is earlier, but unindexed (migration 0009).
  sessions: { key: 'id', expired: (b) => sql`absolute_expires_at < ${b}` },
  recognized_devices: { key: 'id', expired: (b) => sql`(expires_at < ${b} OR revoked_at < ${b})` },
  outbox: { key: 'id', expired: (b) => sql`sent_at < ${b}` },
  // One row per (session, purpose): a batch names sessions, the condition picks their expired grants.
  step_up_grants: { key: 'session_id', expired: (b) => sql`expires_at < ${b}` },
  password_reset_flows: { key: 'id', expired: (b) => sql`expires_at < ${b}` },
  password_reset_codes: { key: 'account_id', expired: (b) => sql`expires_at < ${b}` },
};

export function expiredRows(db: Db, dialect: Dialect): ExpiredRowsRepo {
  // PostgreSQL: skip rows another purger (or a request) has locked rather than wait for them.
  const skipLocked = dialect === 'postgres' ? sql` FOR UPDATE SKIP LOCKED` : sql``;
  return {
    async deleteBatch(table, before, now, limit, keepKeyPrefixes = []) {
      const { key, expired } = EXPIRED[table];
      const cond = expired(ms(before), ms(now), keepKeyPrefixes);
      const r = await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.ref(key)} IN (
          SELECT ${sql.ref(key)} FROM ${sql.table(table)} WHERE ${cond} LIMIT ${limit}${skipLocked}
        ) AND ${cond}`.execute(db);
      return Number(r.numAffectedRows ?? 0);
    },
  };
}
