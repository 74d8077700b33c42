/**
 * What an operator (or a developer in embedded mode) reads of the running service: whether the
 * database answers (/readyz), and the mails the embedded mailbox kept instead of sending.
 */
import type { Ports } from '../ports';
import type { DevMail } from '../notifications/records';

export class Operations {
  constructor(private readonly ports: Ports) {}

  ready(): Promise<boolean> {
    return this.ports.store.ready().catch(() => false);
  }

  latestDevMail(limit: number): Promise<DevMail[]> {
    return this.ports.store.devMailbox.list(limit);
  }
}
