/**
 * Passkeys for the brokerage's mobile app, as JSON under /api/v1/passkeys (docs/api.md): the
 * list (with the new ones and until when), registration confirmed like the page's (a code mailed
 * for 「パスキーの登録」 or the current one-time password, and the trading password), rename, delete
 * with its own confirmation, and the cancel of a new passkey. The same domain calls as the pages.
 *
 * The app holds its session as a bearer token and these routes take nothing else: a request
 * without `Authorization: Bearer …` is `session_invalid`, even with the session cookie. The JSON
 * API has no CSRF token (web/csrf.ts), and a header a foreign page cannot make a browser send is
 * what keeps a forged cross-site request from acting with the customer's cookie.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors';
import type { ListedPasskey } from '../../domain/passkeys/passkey-service';
import type { SentCode } from '../../domain/reauthentication/reauthentication-service';
import { SESSION_COOKIE } from '../cookies';
import { formBody } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { signedIn, signedInAccount } from '../signed-in';

export const PASSKEY_API_PREFIX = '/api/v1/passkeys';

function presentPasskey(p: ListedPasskey) {
  return {
    id: p.id,
    name: p.name,
    createdAt: p.createdAt.toISOString(),
    lastUsedAt: p.lastUsedAt ? p.lastUsedAt.toISOString() : null,
    backedUp: p.backedUp,
    new: p.newUntil !== null,
    newUntil: p.newUntil ? p.newUntil.toISOString() : null,
  };
}

function presentCode(sent: SentCode) {
  return { sentTo: sent.masked, expiresAt: sent.expiresAt.toISOString(), resendAvailableAt: sent.resendAvailableAt.toISOString() };
}

export function passkeyApi(app: FastifyInstance, deps: WebDeps): void {
  app.register(async (scope) => {
    scope.addHook('onRequest', async (req) => {
      const auth = req.headers.authorization;
      if (typeof auth !== 'string' || !/^Bearer \S/.test(auth)) throw new DomainError('session_invalid');
      // The bearer token is the session: a cookie sent beside it is not looked at.
      delete req.cookies[SESSION_COOKIE];
    });
    scope.register(signedIn(deps, 'api-error', (api) => passkeyRoutes(api, deps)));
  });
}

function passkeyRoutes(api: FastifyInstance, deps: WebDeps): void {
  const { passkeys, reauthentication } = deps.services;
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
  const proof = (req: FastifyRequest) => ({ tradingPassword: formBody(req).tradingPassword, confirmationCode: formBody(req).confirmationCode });
  const listed = async (req: FastifyRequest) => passkeys.list(signedInAccount(req));
  const find = async (req: FastifyRequest) => {
    const p = (await listed(req)).find((x) => String(x.id) === idOf(req));
    if (!p) throw new DomainError('not_found', { field: 'passkey' });
    return p;
  };

  api.get(PASSKEY_API_PREFIX, async (req) => ({ passkeys: (await listed(req)).map(presentPasskey) }));

  api.post(`${PASSKEY_API_PREFIX}/registration/code`, async (req) =>
    presentCode(await reauthentication.requestCode(signedInAccount(req), req.session?.id, 'passkey_register', loginContext(req))),
  );
  api.post(`${PASSKEY_API_PREFIX}/registration/options`, async (req) => passkeys.beginRegistration(signedInAccount(req), proof(req), loginContext(req)));
  api.post(`${PASSKEY_API_PREFIX}/registration/verify`, async (req, reply) => {
    const b = formBody(req);
    const p = await passkeys.finishRegistration(signedInAccount(req), { challengeId: b.challengeId, credential: b.credential, name: b.name }, loginContext(req));
    return reply.status(201).send({ passkey: presentPasskey({ ...p, newUntil: passkeys.newUntil(p) }) });
  });

  api.post(`${PASSKEY_API_PREFIX}/:id/rename`, async (req) => {
    await passkeys.rename(signedInAccount(req), idOf(req), formBody(req).name, loginContext(req));
    return { passkey: presentPasskey(await find(req)) };
  });

  api.post(`${PASSKEY_API_PREFIX}/:id/delete/code`, async (req) => {
    await find(req);
    return presentCode(await reauthentication.requestCode(signedInAccount(req), req.session?.id, 'passkey_delete', loginContext(req)));
  });
  api.post(`${PASSKEY_API_PREFIX}/:id/delete`, async (req, reply) => {
    await passkeys.delete(signedInAccount(req), idOf(req), proof(req), loginContext(req));
    return reply.status(204).send();
  });

  api.post(`${PASSKEY_API_PREFIX}/:id/cancel`, async (req, reply) => {
    await passkeys.cancelNew(signedInAccount(req), idOf(req), loginContext(req));
    return reply.status(204).send();
  });
}
