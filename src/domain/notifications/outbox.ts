/**
 * Queueing a mail is a row in the outbox, written in the caller's transaction: the mail exists
 * if and only if the change that caused it committed (SPEC 2, transactional outbox).
 */
import type { Random } from '../ports';
import type { StoreTx } from '../store-types';
import type { MailContent } from './messages';

export async function queueMail(tx: Pick<StoreTx, 'outbox'>, random: Random, at: Date, to: string, mail: MailContent): Promise<string> {
  // A stable Message-ID: a mail re-sent after a crash is recognisably the same mail.
  const messageId = `<${random.bytes(16).toString('hex')}@mamori>`;
  await tx.outbox.enqueue({ messageId, to, subject: mail.subject, text: mail.text, createdAt: at });
  return messageId;
}
