/**
 * Routes of the passkey screens on 登録情報照会 and the JSON endpoints their script calls
 * (views/passkey-views.ts draws them; /static/passkeys.js runs the WebAuthn calls).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formBody, pageError, sendPage, viewContext } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { signedInAccount } from '../signed-in';
import { confirmView } from '../views/confirm-view';
import type { FormError } from '../views/kit';
import * as views from '../views/passkey-views';
import { reauthState, sendCodeRoute } from './reauthentication';

export function passkeyPages(app: FastifyInstance, deps: WebDeps): void {
  const { passkeys } = deps.services;
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
  const proof = (req: FastifyRequest) => {
    const b = formBody(req);
    return { tradingPassword: b.tradingPassword, confirmationCode: b.confirmationCode };
  };

  async function renderList(req: FastifyRequest, reply: FastifyReply, o: { error?: FormError | string; info?: string; status?: number } = {}) {
    const list = await passkeys.list(signedInAccount(req));
    const reauth = await reauthState(req, deps, 'passkey_register', '/account/passkeys/register/code');
    return sendPage(req, reply, deps, views.passkeyListView(viewContext(req, reply, deps), list, reauth, { ...o, coolingOffHours: deps.config.passkeys.coolingOffHours }));
  }

  app.get('/account/passkeys', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    return renderList(req, reply, { info: q.added === '1' ? req.t('passkey.added') : q.deleted === '1' ? req.t('passkey.deleted') : undefined });
  });

  // 「取消」 of a new passkey: the session (and the form's CSRF field) only; PasskeyService.cancelNew says why.
  app.post('/account/passkeys/:id/cancel', async (req, reply) => {
    try {
      await passkeys.cancelNew(signedInAccount(req), idOf(req), loginContext(req));
      return renderList(req, reply, { info: req.t('passkey.cancelled') });
    } catch (e) {
      return renderList(req, reply, { error: pageError(req, reply, e) });
    }
  });

  sendCodeRoute(app, deps, '/account/passkeys/register/code', 'passkey_register', (req, reply, error) => renderList(req, reply, { error }));

  app.post('/account/passkeys/register/options', async (req) => passkeys.beginRegistration(signedInAccount(req), proof(req), loginContext(req)));

  app.post('/account/passkeys/register/verify', async (req) => {
    const b = formBody(req);
    const p = await passkeys.finishRegistration(signedInAccount(req), { challengeId: b.challengeId, credential: b.credential, name: b.name }, loginContext(req));
    return { id: p.id, name: p.name };
  });

  app.post('/account/passkeys/:id/rename', async (req, reply) => {
    try {
      await passkeys.rename(signedInAccount(req), idOf(req), formBody(req).name, loginContext(req));
      return renderList(req, reply, { info: req.t('passkey.renamed') });
    } catch (e) {
      return renderList(req, reply, { error: pageError(req, reply, e) });
    }
  });

  async function renderDelete(req: FastifyRequest, reply: FastifyReply, error?: FormError) {
    const p = (await passkeys.list(signedInAccount(req))).find((x) => String(x.id) === idOf(req));
    if (!p) return renderList(req, reply, { error: req.t('error.not_found.passkey'), status: 404 });
    const reauth = await reauthState(req, deps, 'passkey_delete', `/account/passkeys/${p.id}/delete/code`);
    const v = viewContext(req, reply, deps);
    return sendPage(req, reply, deps, confirmView(v, views.deleteConfirmSpec(v, p, reauth, error)));
  }

  app.get('/account/passkeys/:id/delete', async (req, reply) => renderDelete(req, reply));
  sendCodeRoute(app, deps, '/account/passkeys/:id/delete/code', 'passkey_delete', renderDelete);
  app.post('/account/passkeys/:id/delete', async (req, reply) => {
    try {
      await passkeys.delete(signedInAccount(req), idOf(req), proof(req), loginContext(req));
      return reply.redirect('/account/passkeys?deleted=1', 303);
    } catch (e) {
      return renderDelete(req, reply, pageError(req, reply, e));
    }
  });
}
