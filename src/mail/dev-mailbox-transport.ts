import type { Clock } from '../domain/ports';
import type { DevMailboxRepo } from '../domain/notifications/repository';
import type { MailTransport } from './transport';

/** Embedded mode without SMTP: "delivers" into a table the /dev/mailbox page lists. */
export function createDevMailboxTransport(repo: DevMailboxRepo, clock: Clock): MailTransport {
  return {
    async send(m) {
      await repo.deliver({ messageId: m.messageId, to: m.to, subject: m.subject, text: m.text, deliveredAt: clock.now() });
    },
    async close() {},
  };
}
