/**
 * Every column that holds a value sealed with the deployment's secret key (crypto/secret-box.ts).
 * `mamori keys rotate` re-seals exactly these (domain/operations/sealed-secrets.ts). A new sealed
 * column is named `…_sealed` and added here: test/integration/oidc-key-rotation.test.ts fails
 * while a `…_sealed` column of the schema is missing from this list.
 */
import { sql } from 'kysely';
import type { SealedKind, SealedSecretRepo, SealedValue } from '../domain/operations/sealed-secrets';
import type { Db } from './rows';

interface SealedColumn {
  table: string;
  /** The row's primary key. */
  key: string;
  column: string;
  kind: SealedKind;
  /** The column naming the customer, if the row belongs to one. */
  account?: string;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'accounts', key: 'id', column: 'totp_secret_sealed', kind: 'totp', account: 'id' },
  { table: 'totp_enrollments', key: 'account_id', column: 'secret_sealed', kind: 'totp', account: 'account_id' },
  { table: 'oidc_clients', key: 'client_id', column: 'secret_sealed', kind: 'oidc' },
  { table: 'oidc_signing_keys', key: 'kid', column: 'jwk_sealed', kind: 'oidc' },
];

const byName = new Map(SEALED_COLUMNS.map((c) => [`${c.table}.${c.column}`, c]));

export function sealedSecrets(db: Db): SealedSecretRepo {
  return {
    async list() {
      const values: SealedValue[] = [];
      for (const c of SEALED_COLUMNS) {
        // Names from the constant list above, never from input.
        const rows = await sql<{ row_key: string | number; account_id: number | null; sealed: string }>`
          SELECT ${sql.ref(c.key)} AS row_key, ${c.account ? sql.ref(c.account) : sql`NULL`} AS account_id, ${sql.ref(c.column)} AS sealed
          FROM ${sql.table(c.table)} WHERE ${sql.ref(c.column)} IS NOT NULL`.execute(db);
        for (const r of rows.rows) {
          values.push({ column: `${c.table}.${c.column}`, kind: c.kind, rowKey: r.row_key, accountId: r.account_id === null ? null : Number(r.account_id), sealed: r.sealed });
        }
      }
      return values;
    },
    async replace(v, sealed) {
      const c = byName.get(v.column);
      if (!c) throw new Error(`not a sealed column: ${v.column}`);
      const r = await sql`UPDATE ${sql.table(c.table)} SET ${sql.ref(c.column)} = ${sealed} WHERE ${sql.ref(c.key)} = ${v.rowKey} AND ${sql.ref(c.column)} = ${v.sealed}`.execute(db);
      return Number(r.numAffectedRows ?? 0) > 0;
    },
  };
}
