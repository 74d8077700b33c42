/**
 * The session check answers with the customer's login ID and name. Reading them from `accounts`
 * doubled the cost of a check that misses the in-process cache on a million-row file (42 µs with
 * the join, 21 µs without; docs/performance.md), so each session keeps a copy, written when the
 * session is made and when the name changes. Sessions made by an older version (during a rolling
 * upgrade) have none and are read with the join.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export function sessionAccountCopy(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('sessions').addColumn('login_id', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('name', 'text').execute();
      await sql`UPDATE sessions SET
        login_id = (SELECT a.login_id FROM accounts a WHERE a.id = sessions.account_id),
        name = (SELECT a.name FROM accounts a WHERE a.id = sessions.account_id)
        WHERE ended_at IS NULL`.execute(db);
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('sessions').dropColumn('name').execute();
      await db.schema.alterTable('sessions').dropColumn('login_id').execute();
    },
  };
}
