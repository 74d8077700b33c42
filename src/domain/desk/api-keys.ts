/**
 * Support-API keys that belong to an operator (docs/operations.md, "The support API"): made with
 * `mamori operators api-keys add`, shown once, kept as a keyed hash. A key reads
 * `mamori_<public id>_<secret>`: the public id finds its row in one indexed read, the keyed hash
 * of the whole key is compared in constant time. A key acts with its operator's role, so a
 * disabled operator's keys stop at the next call on every process (nothing is cached).
 */
import { randomBytes } from 'node:crypto';
import { newToken } from '../../crypto/tokens';
import { recordAudit } from '../audit';
import { DomainError, InvalidInput } from '../errors';
import type { Ports } from '../ports';
import type { OperatorApiKey } from './records';

export const API_KEY_HASH_PURPOSE = 'desk-api-key';
const LABEL_MAX = 80;
const KEY_PATTERN = /^mamori_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** The public id of a presented key, or null when it is not shaped like one of ours. */
export function publicIdOf(presented: string): string | null {
  return KEY_PATTERN.exec(presented)?.[1] ?? null;
}

export class OperatorApiKeys {
  constructor(private readonly ports: Ports) {}

  /** A new key for an enabled operator: the key itself is returned here once and never kept. */
  async add(operatorName: unknown, rawLabel: unknown, by: string): Promise<{ key: string; record: OperatorApiKey; operatorName: string }> {
    const { store, clock, random, keyed } = this.ports;
    const operator = typeof operatorName === 'string' ? await store.desk.findOperator({ name: operatorName.trim() }) : undefined;
    if (!operator) throw new DomainError('not_found', { field: 'name' });
    if (operator.disabledAt) throw new DomainError('desk_denied', { reason: 'disabled' });
    const label = typeof rawLabel === 'string' && rawLabel.trim() ? rawLabel.trim() : '';
    if (label.length > LABEL_MAX) throw new InvalidInput('label', 'too_long');
    const publicId = random.bytes(6).toString('hex');
    const key = `mamori_${publicId}_${newToken(random)}`;
    const now = clock.now();
    return store.transaction(async (tx) => {
      const record = await tx.desk.insertApiKey({ publicId, operatorId: operator.id, label, keyHash: keyed.hash(API_KEY_HASH_PURPOSE, key), createdAt: now, createdBy: by, revokedAt: null, lastUsedAt: null });
      await recordAudit(tx, now, 'desk.api_key_added', { operator: by, detail: { name: operator.name, role: operator.role, keyId: record.id, publicId, label } });
      return { key, record, operatorName: operator.name };
    });
  }

  async list(operatorName?: unknown): Promise<(OperatorApiKey & { operatorName: string })[]> {
    const { store } = this.ports;
    if (operatorName === undefined) return store.desk.listApiKeys();
    const operator = typeof operatorName === 'string' ? await store.desk.findOperator({ name: operatorName.trim() }) : undefined;
    if (!operator) throw new DomainError('not_found', { field: 'name' });
    return store.desk.listApiKeys(operator.id);
  }

  /** Revokes a key by its number or public id; the next call with it is refused on every process. */
  async revoke(rawId: unknown, by: string): Promise<OperatorApiKey & { operatorName: string }> {
    const { store, clock } = this.ports;
    const id = typeof rawId === 'string' ? rawId.trim() : '';
    const found = (await store.desk.listApiKeys()).find((k) => String(k.id) === id || k.publicId === id);
    if (!found) throw new DomainError('not_found', { field: 'keyId' });
    const now = clock.now();
    await store.transaction(async (tx) => {
      if (!(await tx.desk.revokeApiKey(found.id, now))) throw new DomainError('flow_state', { state: 'revoked' });
      await recordAudit(tx, now, 'desk.api_key_revoked', { operator: by, detail: { name: found.operatorName, keyId: found.id, publicId: found.publicId } });
    });
    return { ...found, revokedAt: now };
  }
}

/** A throwaway key of the right shape, compared when none was found, so an unknown id costs what a known one does. */
export const DUMMY_HASH = randomBytes(32).toString('base64url');
