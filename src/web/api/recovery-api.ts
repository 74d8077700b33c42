/**
 * ログインパスワードをお忘れの方 and ログインIDをお忘れの方 as JSON, for the brokerage's app: the same
 * services, answers and limits as the pages (pages/recovery-pages.ts). The app holds `flowId`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidInput } from '../../domain/errors';
import type { ResetStep } from '../../domain/recovery/password-reset-service';
import { loginContext, type WebDeps } from '../request-context';
import { signedIn, signedInAccount } from '../signed-in';

type Body = Record<string, unknown>;

function body(req: FastifyRequest): Body {
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new InvalidInput('body', 'json_object_required');
  return b as Body;
}

const step = (s: ResetStep) => ({ flowId: s.flowHandle, next: s.next, expiresAt: s.expiresAt.toISOString() });

export function recoveryApi(app: FastifyInstance, deps: WebDeps): void {
  const { passwordReset, deskReset, loginIdReminder } = deps.services;

  app.post('/api/v1/password-reset', async (req, reply) => {
    const b = body(req);
    return reply.status(202).send(step(await passwordReset.request({ loginId: b.loginId, identifier: b.identifier }, loginContext(req))));
  });
  app.post('/api/v1/password-reset/code', async (req) => {
    const b = body(req);
    return step(await passwordReset.submitCode(b.flowId, b.code, loginContext(req)));
  });
  app.post('/api/v1/password-reset/desk-code', async (req) => {
    const b = body(req);
    return step(await deskReset.redeem({ loginId: b.loginId, resetCode: b.resetCode }, loginContext(req)));
  });
  app.post('/api/v1/password-reset/passkey/options', async (req) => passwordReset.beginPasskey(body(req).flowId, loginContext(req)));
  app.post('/api/v1/password-reset/passkey', async (req) => {
    const b = body(req);
    return step(await passwordReset.finishPasskey(b.flowId, { challengeId: b.challengeId, credential: b.credential }, loginContext(req)));
  });
  app.post('/api/v1/password-reset/complete', async (req) => {
    const b = body(req);
    await passwordReset.complete(b.flowId, { tradingPassword: b.tradingPassword, newPassword: b.newPassword, newPasswordConfirmation: b.newPasswordConfirmation }, loginContext(req));
    return { state: 'done' };
  });
  // ログインパスワード変更 for the app: the one call a session whose password the desk asked to change may make.
  app.register(
    signedIn(deps, 'api-error', (scope) => {
      scope.post('/api/v1/account/password', async (req) => {
        const b = body(req);
        await deps.services.security.changeLoginPassword(
          signedInAccount(req),
          { current: b.currentPassword, next: b.newPassword, confirmation: b.newPasswordConfirmation, tradingPassword: b.tradingPassword },
          { ...loginContext(req), sessionId: req.session!.id, deviceId: null },
        );
        return { loginPassword: 'changed' };
      });
    }),
  );
  app.post('/api/v1/login-id-reminder', async (req, reply) => {
    const b = body(req);
    await loginIdReminder.request({ email: b.email, birthDate: b.birthDate }, loginContext(req));
    // The same answer whether or not the address is registered.
    return reply.status(202).send({ state: 'accepted' });
  });
}
