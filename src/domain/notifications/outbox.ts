/**
 * Queueing a mail is a row in the outbox, written in the caller's transaction: the mail exists
 * if and only if the change that caused it committed (SPEC 2, transactional outbox).
 */
import type { Random } from '../ports';
import type { StoreTx } from '../store';
import type { MailContent } from './messages';

export async function queueMail(tx: Pick<StoreTx, 'outbox'>, random: Random, at: Date, to: string, mail: MailContent): Promise<string> {
  // A stable Message-ID: a mail re-sent after a crash is recognisably the same mail.
  const messageId = `<${random.bytes(16).toString('hex')}@mamori>`;
  await tx.outbox.enqueue({ messageId, to, subject: mail.subject, text: mail.text, createdAt: at });
  return messageId;
}

/** A mandatory notice: one mail to every verified address of the account, in the caller's transaction. */
export async function queueToVerified(tx: Pick<StoreTx, 'outbox' | 'emails'>, random: Random, at: Date, accountId: number, mail: MailContent): Promise<void> {
  for (const e of await tx.emails.listForAccount(accountId)) if (e.verifiedAt) await queueMail(tx, random, at, e.address, mail);
}
