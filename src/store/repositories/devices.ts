/** Recognised browsers. */
import type { Selectable } from 'kysely';
import type { RecognizedDevice } from '../../domain/devices/records';
import type { DeviceRepo } from '../../domain/devices/repository';
import type { RecognizedDevicesTable } from '../schema';
import { date, dateOrNull, ms, msOrNull, type Db } from '../rows';
import { prepared } from '../prepared';

const byTokenHash = prepared((db, $: { tokenHash: string }) => db.selectFrom('recognized_devices').selectAll().where('token_hash', '=', $.tokenHash));
const touched = prepared((db, $: { id: number; lastUsedAt: number; expiresAt: number }) =>
  db.updateTable('recognized_devices').set({ last_used_at: $.lastUsedAt, expires_at: $.expiresAt }).where('id', '=', $.id),
);

export function devices(db: Db): DeviceRepo {
  return {
    async insert(d) {
      const row = await db
        .insertInto('recognized_devices')
        .values({
          account_id: d.accountId,
          token_hash: d.tokenHash,
          user_agent: d.userAgent,
          ip: d.ip,
          created_at: ms(d.createdAt),
          last_used_at: ms(d.lastUsedAt),
          expires_at: ms(d.expiresAt),
          revoked_at: msOrNull(d.revokedAt),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDevice(row);
    },
    async findByTokenHash(tokenHash) {
      const row = await byTokenHash.first(db, { tokenHash });
      return row && toDevice(row);
    },
    async touch(id, lastUsedAt, expiresAt) {
      await touched.run(db, { id, lastUsedAt: ms(lastUsedAt), expiresAt: ms(expiresAt) });
    },
    async revokeForAccount(accountId, id, at) {
      const r = await db
        .updateTable('recognized_devices')
        .set({ revoked_at: ms(at) })
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async revokeAllForAccount(accountId, at, exceptId) {
      await db
        .updateTable('recognized_devices')
        .set({ revoked_at: ms(at) })
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .$if(exceptId !== undefined, (q) => q.where('id', '!=', exceptId!))
        .execute();
    },
    async listForAccount(accountId) {
      const rows = await db
        .selectFrom('recognized_devices')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('last_used_at', 'desc')
        .execute();
      return rows.map(toDevice);
    },
  };
}

export function toDevice(r: Selectable<RecognizedDevicesTable>): RecognizedDevice {
  return {
    id: Number(r.id),
    accountId: Number(r.account_id),
    tokenHash: r.token_hash,
    userAgent: r.user_agent,
    ip: r.ip,
    createdAt: date(r.created_at),
    lastUsedAt: date(r.last_used_at),
    expiresAt: date(r.expires_at),
    revokedAt: dateOrNull(r.revoked_at),
  };
}
