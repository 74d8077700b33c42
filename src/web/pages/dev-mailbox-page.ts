/** Embedded mode only: every mail "sent" without an SMTP server, readable in the browser. */
import type { FastifyInstance } from 'fastify';
import { sendPage, viewContext } from '../layout';
import type { WebDeps } from '../request-context';
import { devMailboxView } from '../views/account-views';

export function devMailboxPage(app: FastifyInstance, deps: WebDeps): void {
  app.get('/dev/mailbox', async (req, reply) => sendPage(req, reply, deps, devMailboxView(viewContext(req, reply, deps), await deps.services.operations.latestDevMail(50))));
}
