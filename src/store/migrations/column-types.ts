/**
 * The few column differences between the dialects: identity columns and 64-bit integers
 * (epoch-millisecond times, ids). Everything else in the migrations is the same schema builder code.
 */
export type Dialect = 'sqlite' | 'postgres';

export function columnTypes(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    pg,
    time: pg ? ('bigint' as const) : ('integer' as const),
    idType: pg ? ('bigint' as const) : ('integer' as const),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    id: (col: any) => (pg ? col.generatedByDefaultAsIdentity().primaryKey() : col.primaryKey().autoIncrement()),
  };
}
