/**
 * A login flow names the second-step methods still open and the one shown, instead of one state
 * per method: a new method needs no new state. Flows in flight keep going: each waiting state
 * becomes the method it stood for. A passkey step in flight keeps the passkey alone open (the
 * migration cannot know the policy it was opened under): its customer who cannot use the passkey
 * starts the login again. Written to depend on nothing after 0010.
 */
import type { Kysely, Migration } from 'kysely';

const WAITING: Record<string, { shown: string; open: string }> = {
  awaiting_code: { shown: 'email_code', open: 'email_code' },
  awaiting_totp: { shown: 'totp', open: 'totp,recovery_code' },
  awaiting_passkey: { shown: 'passkey', open: 'passkey' },
};

export function loginFlowMethods(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('login_flows').addColumn('methods_open', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('login_flows').addColumn('method_shown', 'text').execute();
      for (const [state, m] of Object.entries(WAITING)) {
        await db
          .updateTable('login_flows')
          .set({ state: 'awaiting_second_step', method_shown: m.shown, methods_open: m.open })
          .where('state', '=', state)
          .execute();
      }
    },
    async down(db: Kysely<any>) {
      for (const [state, m] of Object.entries(WAITING)) {
        await db.updateTable('login_flows').set({ state }).where('state', '=', 'awaiting_second_step').where('method_shown', '=', m.shown).execute();
      }
      await db.schema.alterTable('login_flows').dropColumn('method_shown').execute();
      await db.schema.alterTable('login_flows').dropColumn('methods_open').execute();
    },
  };
}
