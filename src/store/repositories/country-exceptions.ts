/** The desk's exceptions to ALLOWED_COUNTRIES, one row per account and country. */
import type { CountryExceptionRepo } from '../../domain/risk/repository';
import { ms, type Db } from '../rows';

export function countryExceptions(db: Db): CountryExceptionRepo {
  const table = 'country_exceptions' as const;
  return {
    async liveCountries(accountId, now) {
      const rows = await db.selectFrom(table).select('country').where('account_id', '=', accountId).where('expires_at', '>', ms(now)).execute();
      return rows.map((r) => r.country);
    },
    async listForAccount(accountId) {
      const rows = await db.selectFrom(table).selectAll().where('account_id', '=', accountId).orderBy('country').execute();
      return rows.map((r) => ({
        country: r.country,
        expiresAt: new Date(Number(r.expires_at)),
        operator: r.operator,
        reason: r.reason,
        createdAt: new Date(Number(r.created_at)),
      }));
    },
    async put(accountId, e) {
      const row = { expires_at: ms(e.expiresAt), operator: e.operator, reason: e.reason, created_at: ms(e.createdAt) };
      await db
        .insertInto(table)
        .values({ account_id: accountId, country: e.country, ...row })
        .onConflict((oc) => oc.columns(['account_id', 'country']).doUpdateSet(row))
        .execute();
    },
    async remove(accountId, country) {
      const r = await db.deleteFrom(table).where('account_id', '=', accountId).where('country', '=', country).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
