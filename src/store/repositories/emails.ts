/** The customer's registered addresses, one per slot. */
import { sql, type Selectable } from 'kysely';
import type { EmailAddress } from '../../domain/addresses/records';
import type { EmailRepo } from '../../domain/addresses/repository';
import type { EmailAddressesTable } from '../schema';
import { date, dateOrNull, ms, msOrNull, type Db } from '../rows';
import { prepared } from '../prepared';

const ofAccount = prepared((db, $: { accountId: number }) => db.selectFrom('email_addresses').selectAll().where('account_id', '=', $.accountId).orderBy('slot'));

export function emails(db: Db): EmailRepo {
  return {
    async insert(e) {
      const row = await db
        .insertInto('email_addresses')
        .values({
          account_id: e.accountId,
          slot: e.slot,
          address: e.address,
          login_notification: e.loginNotification ? 1 : 0,
          verified_at: msOrNull(e.verifiedAt),
          created_at: ms(e.createdAt),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEmail(row);
    },
    async listForAccount(accountId) {
      const rows = await ofAccount.execute(db, { accountId });
      return rows.map(toEmail);
    },
    async listVerifiedByAddress(address) {
      // lower(address) is indexed (migration 0016) for the forgotten-login-ID page.
      const rows = await db
        .selectFrom('email_addresses')
        .selectAll()
        .where(sql<string>`lower(address)`, '=', address.toLowerCase())
        .where('verified_at', 'is not', null)
        .orderBy('account_id')
        .execute();
      return rows.map(toEmail);
    },
    async putVerified(accountId, slot, address, at) {
      await db
        .insertInto('email_addresses')
        .values({ account_id: accountId, slot, address, login_notification: 0, verified_at: ms(at), created_at: ms(at) })
        .onConflict((oc) => oc.columns(['account_id', 'slot']).doUpdateSet({ address, verified_at: ms(at) }))
        .execute();
    },
    async setLoginNotification(accountId, slot, on) {
      const r = await db.updateTable('email_addresses').set({ login_notification: on ? 1 : 0 }).where('account_id', '=', accountId).where('slot', '=', slot).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async deleteSlot(accountId, slot) {
      const r = await db.deleteFrom('email_addresses').where('account_id', '=', accountId).where('slot', '=', slot).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
  };
}

export function toEmail(r: Selectable<EmailAddressesTable>): EmailAddress {
  return {
    id: Number(r.id),
    accountId: Number(r.account_id),
    slot: r.slot,
    address: r.address,
    loginNotification: Number(r.login_notification) === 1,
    verifiedAt: dateOrNull(r.verified_at),
    createdAt: date(r.created_at),
  };
}
