/**
 * `mamori passkeys announce`: the mail that tells every customer without a passkey the date
 * passkeys become mandatory. Resumable and idempotent: each customer mailed is recorded in the
 * transaction that queues the mail, so a run stopped half-way, or run twice, or on two machines at
 * once, mails nobody twice. Customers without a verified address are not recorded: a later run
 * mails them once they have one.
 */
import { recordAudit } from '../audit';
import type { Brand } from '../context';
import { DomainError } from '../errors';
import { passkeyAnnouncementMail } from '../notifications/passkey-policy-messages';
import { queueMail } from '../notifications/outbox';
import type { Ports } from '../ports';
import type { PasskeyRequirements } from './passkey-requirements';

export interface AnnouncementTally {
  /** Customers mailed by this run (or who would be, in a dry run). */
  customers: number;
  /** Mails queued (one per verified address). */
  mails: number;
  /** Customers without a passkey who have no verified address. */
  withoutAddress: number;
  batches: number;
}

export class PasskeyAnnouncement {
  constructor(
    private readonly ports: Ports,
    private readonly deps: { brand: Brand; requirements: PasskeyRequirements },
  ) {}

  /** `by`: who ran it, for the audit log. */
  async run(o: { dryRun: boolean; by: string; batchSize?: number }): Promise<AnnouncementTally> {
    const from = this.deps.requirements.requiredFrom;
    if (!from) throw new DomainError('forbidden', { reason: 'no_migration_date' });
    const { store, clock, random } = this.ports;
    const size = o.batchSize ?? 200;
    const tally: AnnouncementTally = { customers: 0, mails: 0, withoutAddress: 0, batches: 0 };
    let after = 0;
    for (;;) {
      const batch = await store.passkeyAnnouncements.pendingBatch(after, size);
      if (!batch.length) break;
      after = batch[batch.length - 1]!.accountId;
      tally.batches += 1;
      await store.transaction(async (tx) => {
        const now = clock.now();
        for (const target of batch) {
          const addresses = (await tx.emails.listForAccount(target.accountId)).filter((e) => e.verifiedAt);
          if (!addresses.length) {
            tally.withoutAddress += 1;
            continue;
          }
          if (o.dryRun) {
            tally.customers += 1;
            tally.mails += addresses.length;
            continue;
          }
          // Another run may have mailed this customer since the batch was read: then nothing is sent.
          if (!(await tx.passkeyAnnouncements.record(target.accountId, now, addresses.length))) continue;
          const mail = passkeyAnnouncementMail(this.deps.brand, { name: target.name, from });
          for (const a of addresses) await queueMail(tx, random, now, a.address, mail);
          tally.customers += 1;
          tally.mails += addresses.length;
        }
      });
    }
    if (!o.dryRun) await recordAudit(store, clock.now(), 'passkey.announcement_sent', { operator: o.by, detail: { ...tally, requiredFrom: from.toISOString() } });
    return tally;
  }
}
