/** Row ↔ record conversion helpers (epoch ms ↔ Date), and what a repository runs on. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema';

/** What a repository runs on: the store's Kysely instance, or a transaction's. */
export type Db = Kysely<Database> | Transaction<Database>;

export const ms = (d: Date): number => d.getTime();
export const msOrNull = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);
export const date = (n: number | string): Date => new Date(Number(n));
export const dateOrNull = (n: number | string | null): Date | null => (n === null ? null : new Date(Number(n)));
