/** The desk's exceptions to ALLOWED_COUNTRIES, one row per account and country; the stuffing counters. */
import { sql } from 'kysely';
import type { CountryExceptionRepo, RiskCounterRepo } from '../../domain/risk/repository';
import { ms, type Db } from '../rows';
import { prepared } from '../prepared';

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

const counted = prepared((db, $: { source: string; windowNumber: number }) => db.selectFrom('risk_counters').select('count').where('source', '=', $.source).where('window_number', '=', $.windowNumber));

export function riskCounters(db: Db): RiskCounterRepo {
  return {
    async addDistinct(source, windowNumber, member) {
      // The member row decides: of concurrent inserts on any process, one alone returns a row and counts.
      const added = await db
        .insertInto('risk_counter_members')
        .values({ source, window_number: windowNumber, member })
        .onConflict((oc) => oc.columns(['source', 'window_number', 'member']).doNothing())
        .returning('member')
        .executeTakeFirst();
      if (!added) return null;
      const r = await db
        .insertInto('risk_counters')
        .values({ source, window_number: windowNumber, count: 1 })
        .onConflict((oc) => oc.columns(['source', 'window_number']).doUpdateSet({ count: sql<number>`risk_counters.count + 1` }))
        .returning('count')
        .executeTakeFirstOrThrow();
      return Number(r.count);
    },
    async count(source, windowNumber) {
      const r = await counted.first(db, { source, windowNumber });
      return r ? Number(r.count) : 0;
    },
    async dropBefore(windowNumber) {
      await db.deleteFrom('risk_counter_members').where('window_number', '<', windowNumber).execute();
      await db.deleteFrom('risk_counters').where('window_number', '<', windowNumber).execute();
    },
  };
}
