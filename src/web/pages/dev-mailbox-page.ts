/** Embedded mode only: every mail "sent" without an SMTP server, readable in the browser. */
import type { FastifyInstance } from 'fastify';
import { html } from '../html';
import { renderPage } from '../layout';
import type { WebDeps } from '../request-context';

export function devMailboxPage(app: FastifyInstance, deps: WebDeps): void {
  app.get('/dev/mailbox', async (req, reply) => {
    const { t } = req;
    const mails = await deps.services.ports.store.devMailbox.list(50);
    const items = mails.map(
      (m) => html`<article class="mail"><h2>${m.subject}</h2><p class="note">To: ${m.to} — ${m.deliveredAt.toISOString()}</p><pre>${m.text}</pre></article>`,
    );
    const body = html`<p class="note">${t('devmail.notice')}</p>${mails.length ? items : html`<p>${t('devmail.empty')}</p>`}`;
    return renderPage(req, reply, deps, { title: t('devmail.title'), body });
  });
}
