/**
 * The route side of the 本人確認 card on every 確認 screen that changes how a customer logs in:
 * what the card shows (has a code been sent in this session for this purpose, does the customer
 * have TOTP), and the 「確認コードをメールで送信」 button's route. The card itself is drawn by
 * views/confirm-view.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReauthenticationPurpose } from '../../domain/reauthentication/records';
import { pageError } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { signedInAccount } from '../signed-in';
import type { ReauthState } from '../views/confirm-view';
import type { FormError } from '../views/kit';

export async function reauthState(req: FastifyRequest, deps: WebDeps, purpose: ReauthenticationPurpose, sendAction: string): Promise<ReauthState> {
  const account = signedInAccount(req);
  const sent = await deps.services.reauthentication.sentCode(account, req.session?.id, purpose);
  return { sendAction, totp: Boolean(account.totpEnabledAt), sent };
}

/**
 * The send button's route: sends a code for this purpose and this session, then draws the screen
 * again (which now says to which masked address it went), or with the reason it could not.
 */
export function sendCodeRoute(
  app: FastifyInstance,
  deps: WebDeps,
  path: string,
  purpose: ReauthenticationPurpose,
  render: (req: FastifyRequest, reply: FastifyReply, error?: FormError) => unknown,
): void {
  app.post(path, async (req, reply) => {
    try {
      await deps.services.reauthentication.requestCode(signedInAccount(req), req.session?.id, purpose, loginContext(req));
      return render(req, reply);
    } catch (e) {
      return render(req, reply, pageError(req, reply, e));
    }
  });
}
