/** Routes of the signed-in top screens: 口座情報 menu and 登録情報照会 (views/account-views.ts). */
import type { FastifyInstance } from 'fastify';
import { sendPage, viewContext } from '../layout';
import type { WebDeps } from '../request-context';
import { signedInAccount } from '../signed-in';
import * as views from '../views/account-views';
import { homeMigrationNotice } from '../views/passkey-policy-views';

export function accountPages(app: FastifyInstance, deps: WebDeps): void {
  const { accounts, totp, security, passkeyRequirements } = deps.services;
  // Under the phishing-resistant policy every customer is asked to register a passkey.
  const strict = deps.config.login.passkeyPolicy === 'phishing-resistant';

  app.get('/', async (req, reply) => reply.redirect('/account', 303));

  app.get('/account', async (req, reply) => {
    const [overview, previousLogin, requirement] = await Promise.all([accounts.overview(signedInAccount(req)), security.previousLogin(req.session!), passkeyRequirements.forAccount(req.session!.accountId)]);
    // The migration's own word (the date, or an exemption's risk) replaces the general request.
    const migration = homeMigrationNotice({ t: req.t, locale: req.locale }, requirement);
    const askPasskey = strict && overview.passkeyCount === 0 && requirement.kind === 'none';
    return sendPage(req, reply, deps, views.homeView(viewContext(req, reply, deps), { overview, previousLogin, askPasskey, migration }));
  });

  app.get('/account/info', async (req, reply) => {
    const account = signedInAccount(req);
    const [overview, status] = await Promise.all([accounts.overview(account), totp.status(account)]);
    const s = req.session!;
    return sendPage(req, reply, deps, views.infoView(viewContext(req, reply, deps), { loginId: s.loginId, name: s.name, overview, totp: status }));
  });
}
