/** ワンタイムパスワードサービス: keys waiting for their first code, and single-use recovery codes. */
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type Dialect } from './column-types';

export function totp(dialect: Dialect): Migration {
  const { time, id, idType } = columnTypes(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('totp_enrollments')
        .addColumn('account_id', idType, (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('recovery_codes')
        .addColumn('id', idType, id)
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('used_at', time)
        .addUniqueConstraint('recovery_codes_account_hash', ['account_id', 'code_hash'])
        .execute();
    },
  };
}
