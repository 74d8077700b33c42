/**
 * The one statement behind every "at most N tries" in Mamori (one-time codes, the trading
 * password, TOTP enrolment, address confirmation): the attempt is counted by a conditional
 * `UPDATE … SET n = n + 1 WHERE … AND n < max RETURNING n` *before* the answer is compared. Both
 * databases apply it row-atomically, so 60 simultaneous guesses on any number of processes are
 * judged at most `max` times; a read-then-write would let them all read the same count.
 */
import type { UpdateQueryBuilder, UpdateResult } from 'kysely';
import type { Database } from './schema';

type Counter = 'attempts' | 'code_attempts' | 'trading_password_failures';

/**
 * `scoped`: the UPDATE on the row, already narrowed by its key and any state conditions.
 * `also`: further columns set in the same statement. Answers the count after this attempt, or
 * null when the row is gone, out of its state, or already at the limit.
 */
export async function reserveUnderLimit<R extends Record<string, unknown> = Record<string, never>>(
  // Kysely cannot type a column shared by several tables generically; the table is the caller's.
  scoped: UpdateQueryBuilder<Database, any, any, UpdateResult>,
  counter: Counter,
  max: number,
  options: { also?: Record<string, unknown>; returning?: (keyof R & string)[] } = {},
): Promise<({ count: number } & R) | null> {
  const row = (await scoped
    .set((eb) => ({ [counter]: eb(counter, '+', 1), ...options.also }))
    .where(counter, '<', max)
    .returning([counter, ...(options.returning ?? [])])
    .executeTakeFirst()) as Record<string, unknown> | undefined;
  if (!row) return null;
  return { ...(row as R), count: Number(row[counter]) };
}
