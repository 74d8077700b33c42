/** Routes of the signed-in top screens: 口座情報 menu and 登録情報照会 (views/account-views.ts). */
import type { FastifyInstance } from 'fastify';
import { sendPage, viewContext } from '../layout';
import type { WebDeps } from '../request-context';
import { signedInAccount } from '../signed-in';
import * as views from '../views/account-views';

export function accountPages(app: FastifyInstance, deps: WebDeps): void {
  const { accounts, totp, security } = deps.services;
  // Under the phishing-resistant policy every customer is asked to register a passkey.
  const strict = deps.config.login.passkeyPolicy === 'phishing-resistant';

  app.get('/', async (req, reply) => reply.redirect('/account', 303));

  app.get('/account', async (req, reply) => {
    const [overview, previousLogin] = await Promise.all([accounts.overview(signedInAccount(req)), security.previousLogin(req.session!)]);
    return sendPage(req, reply, deps, views.homeView(viewContext(req, reply, deps), { overview, previousLogin, askPasskey: strict && overview.passkeyCount === 0 }));
  });

  app.get('/account/info', async (req, reply) => {
    const account = signedInAccount(req);
    const [overview, status] = await Promise.all([accounts.overview(account), totp.status(account)]);
    const s = req.session!;
    return sendPage(req, reply, deps, views.infoView(viewContext(req, reply, deps), { loginId: s.loginId, name: s.name, overview, totp: status }));
  });
}
