/**
 * ログインIDをお忘れの方 (docs/requirements.md R-RESET-7): the customer types a registered address
 * (and, where the brokerage asks for it, the birth date); the login ID goes by mail to that
 * address only, and only when it is registered and verified. The page answers the same either
 * way, after the same queries, so it does not tell a stranger whether an address is a customer's.
 * Throttled per client address, and per typed address so nobody can flood a mailbox.
 */
import { recordAudit } from '../audit';
import type { Brand, RequestContext } from '../context';
import type { LoginThrottle } from '../login/throttle';
import { queueMail } from '../notifications/outbox';
import { loginIdReminderMail } from '../notifications/recovery-messages';
import type { Ports } from '../ports';
import { parseEmail, parseSecondIdentifier, type SecondIdentifierKind } from './second-identifier';

export const REMINDERS_PER_ADDRESS_HOUR = 10;
export const REMINDERS_PER_MAILBOX_HOUR = 3;

export class LoginIdReminder {
  constructor(
    private readonly ports: Ports,
    private readonly deps: { brand: Brand; throttle: LoginThrottle },
    private readonly identifier: SecondIdentifierKind,
  ) {}

  get asksBirthDate(): boolean {
    return this.identifier === 'birth_date';
  }

  async request(input: { email: unknown; birthDate?: unknown }, ctx: RequestContext): Promise<void> {
    const address = parseEmail(input.email, 'email');
    const birthDate = this.asksBirthDate ? parseSecondIdentifier('birth_date', input.birthDate) : null;
    const { store, clock, random } = this.ports;
    await this.deps.throttle.assertWithinRate(`idrem:ip:${ctx.ip}`, REMINDERS_PER_ADDRESS_HOUR, 60);
    await this.deps.throttle.assertWithinRate(`idrem:to:${address.toLowerCase()}`, REMINDERS_PER_MAILBOX_HOUR, 60);
    const loginIds: string[] = [];
    let to: string | null = null;
    for (const e of await store.emails.listVerifiedByAddress(address)) {
      const account = await store.accounts.findById(e.accountId);
      if (!account || (birthDate !== null && account.birthDate !== birthDate)) continue;
      loginIds.push(account.loginId);
      to ??= e.address;
    }
    const now = clock.now();
    await store.transaction(async (tx) => {
      // The typed address is not kept (it may be anyone's); whether it matched is.
      await recordAudit(tx, now, 'login_id.reminder_requested', { ctx, detail: { matched: loginIds.length > 0 } });
      if (to) await queueMail(tx, random, now, to, loginIdReminderMail(this.deps.brand, { loginIds, requestedAt: now }));
    });
  }
}
