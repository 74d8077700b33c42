/**
 * A session held until the login password is changed (`sessions.password_change_pending`), as
 * `passkey_pending` holds one until a passkey is registered: read by the session check, so the
 * trading service refuses a session whose customer must first change the password (set by the
 * desk or by a behaviour signal), with no extra query on the hot path. Sessions already live on
 * accounts flagged before this migration are held at once. Written to depend on nothing after 0016.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export function passwordChangeHold(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('sessions').addColumn('password_change_pending', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await sql`UPDATE sessions SET password_change_pending = 1 WHERE ended_at IS NULL AND account_id IN (SELECT id FROM accounts WHERE password_change_required_at IS NOT NULL)`.execute(db);
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('sessions').dropColumn('password_change_pending').execute();
    },
  };
}
