/** A new address waiting for the code mailed to it; single use by a conditional delete. */
import { reserveUnderLimit } from '../reserve-under-limit';
import type { Selectable } from 'kysely';
import type { AddressChange } from '../../domain/addresses/records';
import type { AddressChangeRepo } from '../../domain/addresses/repository';
import type { Database } from '../schema';
import { ms, type Db } from '../rows';

export function toAddressChange(r: Selectable<Database['address_changes']>): AddressChange {
  return {
    accountId: Number(r.account_id),
    slot: r.slot,
    address: r.address,
    codeHash: r.code_hash,
    attempts: r.attempts,
    sendCount: r.send_count,
    sentAt: new Date(Number(r.sent_at)),
    createdAt: new Date(Number(r.created_at)),
    expiresAt: new Date(Number(r.expires_at)),
  };
}

export function addressChanges(db: Db): AddressChangeRepo {
  const one = (accountId: number, slot: number) => db.selectFrom('address_changes').selectAll().where('account_id', '=', accountId).where('slot', '=', slot);
  return {
    async put(c) {
      const row = {
        account_id: c.accountId,
        slot: c.slot,
        address: c.address,
        code_hash: c.codeHash,
        attempts: 0,
        send_count: c.sendCount,
        sent_at: ms(c.sentAt),
        created_at: ms(c.createdAt),
        expires_at: ms(c.expiresAt),
      };
      const { account_id: _a, slot: _s, ...rest } = row;
      await db.insertInto('address_changes').values(row).onConflict((oc) => oc.columns(['account_id', 'slot']).doUpdateSet(rest)).execute();
    },
    async find(accountId, slot) {
      const r = await one(accountId, slot).executeTakeFirst();
      return r && toAddressChange(r);
    },
    async listForAccount(accountId) {
      const rows = await db.selectFrom('address_changes').selectAll().where('account_id', '=', accountId).orderBy('slot').execute();
      return rows.map(toAddressChange);
    },
    async reserveAttempt(accountId, slot, maxAttempts) {
      const scoped = db.updateTable('address_changes').where('account_id', '=', accountId).where('slot', '=', slot);
      return (await reserveUnderLimit(scoped, 'attempts', maxAttempts))?.count ?? null;
    },
    async replaceCode(accountId, slot, codeHash, sentAt) {
      await db
        .updateTable('address_changes')
        .set((eb) => ({ code_hash: codeHash, sent_at: ms(sentAt), send_count: eb('send_count', '+', 1) }))
        .where('account_id', '=', accountId)
        .where('slot', '=', slot)
        .execute();
    },
    async take(accountId, slot, codeHash) {
      const r = await db.deleteFrom('address_changes').where('account_id', '=', accountId).where('slot', '=', slot).where('code_hash', '=', codeHash).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    async delete(accountId, slot) {
      await db.deleteFrom('address_changes').where('account_id', '=', accountId).where('slot', '=', slot).execute();
    },
  };
}
