/**
 * The re-authentication part of every 確認 screen that changes how a customer logs in: the
 * 「確認コードをメールで送信」 button (its own small form, so the trading password is never sent
 * with it), where the code went (masked), the 確認コード field, and for TOTP customers the hint
 * that the current one-time password may be typed instead. The rule itself is the domain's
 * (domain/reauthentication/); this file only draws it and routes the button.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { SentCode } from '../../domain/reauthentication/reauthentication-service';
import type { Account } from '../../domain/accounts/records';
import type { ReauthenticationPurpose } from '../../domain/reauthentication/records';
import { assertCsrf } from '../csrf';
import { html, type Html } from '../html';
import { alertBox } from '../layout';
import { loginContext, type WebDeps } from '../request-context';
import { csrfInput, pageError, sessionAccount, type PageError } from './forms';

export interface ReauthView {
  sendAction: string;
  totp: boolean;
  sent: SentCode | null;
  /** The screen's own lead, when the general one (ログイン方法の変更) does not say what this change is. */
  lead?: string;
  /** Hidden fields the send button must carry so the screen can be drawn again (the new address). */
  carry?: Html;
}

/** What the screen needs to know: has a code been sent in this session for this purpose, does the customer have TOTP. */
export async function reauthView(req: FastifyRequest, deps: WebDeps, account: Account, purpose: ReauthenticationPurpose, sendAction: string): Promise<ReauthView> {
  const sent = await deps.services.reauthentication.sentCode(account, req.session?.id, purpose);
  return { sendAction, totp: Boolean(account.totpEnabledAt), sent };
}

/** Above the main form: what the code is, the send button, where it went. */
export function reauthSection(req: FastifyRequest, reply: FastifyReply, deps: WebDeps, v: ReauthView): Html {
  const { t } = req;
  const { clock } = deps.services.ports;
  const minutes = v.sent ? Math.max(1, Math.round((v.sent.expiresAt.getTime() - clock.now().getTime()) / 60_000)) : 0;
  return html`
    <section class="card reauth" aria-labelledby="reauth-title">
      <h2 id="reauth-title">${t('reauth.title')}</h2>
      <p>${v.lead ?? t('reauth.lead')}</p>
      ${v.sent ? alertBox(t('reauth.sent', { address: v.sent.masked, minutes }), 'info') : html``}
      <form method="post" action="${v.sendAction}" class="inline">
        ${csrfInput(req, reply, deps)}
        ${v.carry ?? html``}
        <button type="submit" class="secondary">${t('reauth.send')}</button>
      </form>
      ${v.totp ? html`<p class="note">${t('reauth.totpHint')}</p>` : html``}
    </section>`;
}

/** Inside the main form, before the trading password. */
export function confirmationCodeInput(req: FastifyRequest): Html {
  return html`
    <div class="field">
      <label for="confirmationCode">${req.t('reauth.label')}</label>
      <input id="confirmationCode" name="confirmationCode" type="text" autocomplete="one-time-code" inputmode="numeric" maxlength="12" required>
    </div>`;
}

/**
 * The send button's route: sends a code for this purpose and this session, then draws the screen
 * again (which now says to which masked address it went), or with the reason it could not.
 */
export function sendCodeRoute(
  app: FastifyInstance,
  deps: WebDeps,
  guard: { preHandler: preHandlerHookHandler },
  path: string,
  purpose: ReauthenticationPurpose,
  render: (req: FastifyRequest, reply: FastifyReply, error?: PageError) => unknown,
): void {
  app.post(path, guard, async (req, reply) => {
    try {
      assertCsrf(req, deps.services.ports.keyed);
      const account = await sessionAccount(req, deps);
      await deps.services.reauthentication.requestCode(account, req.session?.id, purpose, loginContext(req));
      return render(req, reply);
    } catch (e) {
      return render(req, reply, pageError(req, reply, e));
    }
  });
}
