/**
 * Three additions of the security hardening:
 * - `sessions.recognized_device_id`: the recognised browser a session was made from, so 解除 of
 *   that browser ends its sessions at once (domain/accounts/security-service.ts). Nullable and
 *   without a foreign key: older sessions have none, and the purger may delete a long-revoked
 *   device before the rows that once named it.
 * - Indexes on the expiry columns the purger (domain/maintenance/purger.ts) deletes by, so each
 *   batch reads only the rows it deletes. `sessions.idle_expires_at` is deliberately not indexed:
 *   it is rewritten by the idle-timeout batches on the hot path; sessions go by their absolute expiry.
 * - `password_hash_kinds`: each kind of stored password hash (scheme and cost) that is not the
 *   current argon2id, with one example, recorded at import; failed logins wait as long as the
 *   slowest kind takes (hashing/password-hasher.ts), so timing tells no imported account from an unknown ID.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';
import { passwordHashKind } from '../../crypto/hash-kind';

export function purgeAndDeviceSessions(dialect: Dialect): Migration {
  const { time, idType } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('sessions').addColumn('recognized_device_id', idType).execute();
      await db.schema.createIndex('sessions_recognized_device').on('sessions').column('recognized_device_id').execute();
      await db.schema.createIndex('sessions_absolute_expires').on('sessions').column('absolute_expires_at').execute();
      await db.schema.createIndex('recognized_devices_expires').on('recognized_devices').column('expires_at').execute();
      await db.schema.createIndex('throttle_window').on('throttle').column('window_started_at').execute();
      await db.schema.createIndex('totp_enrollments_expires').on('totp_enrollments').column('expires_at').execute();
      await db.schema.createIndex('address_changes_expires').on('address_changes').column('expires_at').execute();
      await db.schema
        .createTable('password_hash_kinds')
        .addColumn('kind', 'text', (c) => c.primaryKey())
        .addColumn('example', 'text', (c) => c.notNull())
        .addColumn('recorded_at', time, (c) => c.notNull())
        .execute();
      // Accounts imported before this migration: their kinds, read once here, in pages.
      const seen = new Map<string, string>();
      let after = 0;
      for (;;) {
        const rows = await db
          .selectFrom('accounts')
          .select(['id', 'login_password_hash', 'trading_password_hash'])
          .where('id', '>', after)
          .where((eb) => eb.or([eb('login_password_hash', 'not like', '$argon2id$%'), eb('trading_password_hash', 'not like', '$argon2id$%')]))
          .orderBy('id')
          .limit(1000)
          .execute();
        if (rows.length === 0) break;
        for (const r of rows) {
          for (const h of [r.login_password_hash as string, r.trading_password_hash as string]) {
            const kind = passwordHashKind(h);
            if (kind && !seen.has(kind)) seen.set(kind, h);
          }
        }
        after = Number(rows[rows.length - 1]!.id);
      }
      for (const [kind, example] of seen) {
        await db.insertInto('password_hash_kinds').values({ kind, example, recorded_at: sql`${Date.now()}` }).execute();
      }
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('password_hash_kinds').execute();
      for (const i of ['sessions_recognized_device', 'sessions_absolute_expires', 'recognized_devices_expires', 'throttle_window', 'totp_enrollments_expires', 'address_changes_expires']) {
        await db.schema.dropIndex(i).execute();
      }
      await db.schema.alterTable('sessions').dropColumn('recognized_device_id').execute();
    },
  };
}
