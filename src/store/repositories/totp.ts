/** TOTP keys waiting for their first code, and recovery codes. */
import { reserveUnderLimit } from '../reserve-under-limit';
import type { TotpEnrollmentKind } from '../../domain/totp/records';
import type { RecoveryCodeRepo, TotpEnrollmentRepo } from '../../domain/totp/repository';
import { ms, type Db } from '../rows';

export function totpEnrollments(db: Db): TotpEnrollmentRepo {
  return {
    async put(e) {
      const row = {
        account_id: e.accountId,
        kind: e.kind,
        secret_sealed: e.secretSealed,
        attempts: e.attempts,
        created_at: ms(e.createdAt),
        expires_at: ms(e.expiresAt),
        session_id: e.sessionId ?? null,
      };
      await db
        .insertInto('totp_enrollments')
        .values(row)
        .onConflict((oc) =>
          oc.column('account_id').doUpdateSet({ kind: row.kind, secret_sealed: row.secret_sealed, attempts: 0, created_at: row.created_at, expires_at: row.expires_at, session_id: row.session_id }),
        )
        .execute();
    },
    async find(accountId) {
      const r = await db.selectFrom('totp_enrollments').selectAll().where('account_id', '=', accountId).executeTakeFirst();
      if (!r) return undefined;
      return {
        accountId: Number(r.account_id),
        kind: r.kind as TotpEnrollmentKind,
        secretSealed: r.secret_sealed,
        attempts: r.attempts,
        createdAt: new Date(Number(r.created_at)),
        expiresAt: new Date(Number(r.expires_at)),
        sessionId: r.session_id === null ? null : Number(r.session_id),
      };
    },
    async reserveAttempt(accountId, maxAttempts) {
      return (await reserveUnderLimit(db.updateTable('totp_enrollments').where('account_id', '=', accountId), 'attempts', maxAttempts))?.count ?? null;
    },
    async delete(accountId) {
      await db.deleteFrom('totp_enrollments').where('account_id', '=', accountId).execute();
    },
  };
}

export function recoveryCodes(db: Db): RecoveryCodeRepo {
  return {
    async replaceAll(accountId, hashes, at) {
      await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
      if (hashes.length) {
        await db
          .insertInto('recovery_codes')
          .values(hashes.map((h) => ({ account_id: accountId, code_hash: h, created_at: ms(at), used_at: null })))
          .execute();
      }
    },
    async consume(accountId, codeHash, at) {
      const r = await db
        .updateTable('recovery_codes')
        .set({ used_at: ms(at) })
        .where('account_id', '=', accountId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async countUnused(accountId) {
      const r = await db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async deleteAll(accountId) {
      await db.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
    },
  };
}
