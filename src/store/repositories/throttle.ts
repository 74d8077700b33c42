/** Failure counters and locks, each change one conditional statement so several processes count as one. */
import { sql } from 'kysely';
import type { ThrottleRepo } from '../../domain/login/repository';
import { ms, type Db } from '../rows';
import { listSlots, listValues, perNumber, prepared, type ListSlots } from '../prepared';

/**
 * A slot: the row starts afresh when its window is over or its lock has run out; otherwise a slot
 * is taken only while none is locked and fewer than `limit` are taken. One statement, so two
 * processes can never both take the last slot.
 */
const reserved = prepared((db, $: { key: string; n: number; w: number; limit: number }) => {
  const fresh = sql<boolean>`(throttle.window_started_at < ${$.w} OR (throttle.locked_until IS NOT NULL AND throttle.locked_until <= ${$.n}))`;
  return db
    .insertInto('throttle')
    .values({ key: $.key, failures: 1, window_started_at: $.n, locked_until: null })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          failures: sql<number>`CASE WHEN ${fresh} THEN 1 ELSE throttle.failures + 1 END`,
          window_started_at: sql<number>`CASE WHEN ${fresh} THEN ${$.n} ELSE throttle.window_started_at END`,
          locked_until: sql<number | null>`CASE WHEN ${fresh} THEN NULL ELSE throttle.locked_until END`,
        })
        .where(sql<boolean>`${fresh} OR (throttle.locked_until IS NULL AND throttle.failures < ${$.limit})`),
    )
    .returning('failures');
});

const released = prepared((db, $: { key: string }) =>
  db
    .updateTable('throttle')
    .set((eb) => ({ failures: eb('failures', '-', 1) }))
    .where('key', '=', $.key)
    .where('failures', '>', 0),
);

const resetOf = perNumber((n) => prepared((db, $: ListSlots) => db.deleteFrom('throttle').where('key', 'in', listSlots(n, $))));

export function throttle(db: Db): ThrottleRepo {
  return {
    async get(key) {
      const r = await db.selectFrom('throttle').selectAll().where('key', '=', key).executeTakeFirst();
      if (!r) return undefined;
      return {
        key: r.key,
        failures: r.failures,
        lockedUntil: r.locked_until === null ? null : new Date(Number(r.locked_until)),
      };
    },
    async recordFailure(key, now, windowStart) {
      const n = ms(now);
      const w = ms(windowStart);
      // One statement, so concurrent failures on several processes all count.
      const r = await db
        .insertInto('throttle')
        .values({ key, failures: 1, window_started_at: n, locked_until: null })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: sql<number>`CASE WHEN throttle.window_started_at < ${w} THEN 1 ELSE throttle.failures + 1 END`,
            window_started_at: sql<number>`CASE WHEN throttle.window_started_at < ${w} THEN ${n} ELSE throttle.window_started_at END`,
          }),
        )
        .returning('failures')
        .executeTakeFirstOrThrow();
      return r.failures;
    },
    async reserve(key, now, windowStart, limit) {
      const r = await reserved.first(db, { key, n: ms(now), w: ms(windowStart), limit });
      return r ? r.failures : null;
    },
    async release(key) {
      await released.run(db, { key });
    },
    async lock(key, until, now) {
      const r = await db
        .updateTable('throttle')
        .set({ locked_until: ms(until) })
        .where('key', '=', key)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', ms(now))]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async resetMany(keys) {
      if (keys.length) await resetOf(keys.length).run(db, listValues(keys));
    },
  };
}
