/** Passkeys and their WebAuthn challenges. */
import type { Selectable } from 'kysely';
import type { ChallengePurpose, Passkey } from '../../domain/passkeys/records';
import type { ChallengeRepo, PasskeyRepo } from '../../domain/passkeys/repository';
import type { PasskeysTable } from '../schema';
import { ms, msOrNull, type Db } from '../rows';
import { prepared } from '../prepared';

const ofAccount = prepared((db, $: { accountId: number }) => db.selectFrom('passkeys').selectAll().where('account_id', '=', $.accountId).orderBy('id'));

export function passkeys(db: Db): PasskeyRepo {
  const toPasskey = (r: Selectable<PasskeysTable>): Passkey => ({
    id: Number(r.id),
    accountId: Number(r.account_id),
    credentialId: r.credential_id,
    publicKey: r.public_key,
    counter: Number(r.counter),
    transports: JSON.parse(r.transports) as string[],
    name: r.name,
    backedUp: Number(r.backed_up) === 1,
    createdAt: new Date(Number(r.created_at)),
    lastUsedAt: r.last_used_at === null ? null : new Date(Number(r.last_used_at)),
  });
  return {
    async insert(p) {
      const row = await db
        .insertInto('passkeys')
        .values({
          account_id: p.accountId,
          credential_id: p.credentialId,
          public_key: p.publicKey,
          counter: p.counter,
          transports: JSON.stringify(p.transports),
          name: p.name,
          backed_up: p.backedUp ? 1 : 0,
          created_at: ms(p.createdAt),
          last_used_at: msOrNull(p.lastUsedAt),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPasskey(row);
    },
    async listForAccount(accountId) {
      const rows = await ofAccount.execute(db, { accountId });
      return rows.map(toPasskey);
    },
    async findByCredentialId(credentialId) {
      const r = await db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
      return r && toPasskey(r);
    },
    async recordUse(id, newCounter, at) {
      const r = await db
        .updateTable('passkeys')
        .set({ counter: newCounter, last_used_at: ms(at) })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('counter', '<', newCounter), eb.and([eb('counter', '=', 0), eb(eb.val(newCounter), '=', 0)])]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async rename(accountId, id, name) {
      const r = await db.updateTable('passkeys').set({ name }).where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async delete(accountId, id) {
      const r = await db.deleteFrom('passkeys').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    async deleteIfCreatedAfter(accountId, id, createdAfter) {
      const r = await db.deleteFrom('passkeys').where('id', '=', id).where('account_id', '=', accountId).where('created_at', '>', ms(createdAfter)).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
  };
}

export function challenges(db: Db): ChallengeRepo {
  return {
    async insert(c) {
      await db
        .insertInto('webauthn_challenges')
        .values({
          id: c.id,
          purpose: c.purpose,
          account_id: c.accountId,
          flow_id: c.flowId,
          challenge: c.challenge,
          created_at: ms(c.createdAt),
          expires_at: ms(c.expiresAt),
          used_at: msOrNull(c.usedAt),
        })
        .execute();
    },
    async find(id) {
      const r = await db.selectFrom('webauthn_challenges').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) return undefined;
      return {
        id: r.id,
        purpose: r.purpose as ChallengePurpose,
        accountId: r.account_id === null ? null : Number(r.account_id),
        flowId: r.flow_id,
        challenge: r.challenge,
        createdAt: new Date(Number(r.created_at)),
        expiresAt: new Date(Number(r.expires_at)),
        usedAt: r.used_at === null ? null : new Date(Number(r.used_at)),
      };
    },
    async consume(id, at) {
      const r = await db.updateTable('webauthn_challenges').set({ used_at: ms(at) }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
