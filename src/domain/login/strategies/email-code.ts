/**
 * 追加認証 by a 6-digit code mailed to the representative address, for a customer without TOTP on
 * a browser that is not recognised. The code lives 10 minutes and is bound to its flow; 認証コードを
 * 再送 mails a new one and keeps the count of wrong tries (NIST SP 800-63B-4 §3.1.3.2).
 */
import { recordAudit } from '../../audit';
import { maskAddress } from '../../addresses/masking';
import { DomainError } from '../../errors';
import { loginCodeMail } from '../../notifications/messages';
import { queueMail } from '../../notifications/outbox';
import { CodeBinding, assertUnexpired, parseCode } from '../../one-time-codes/one-time-code';
import type { Account } from '../../accounts/records';
import type { EmailAddress } from '../../addresses/records';
import type { LoginFlow } from '../records';
import type { LoginContext } from '../login-types';
import type { AccountFactors, BeginResult, SecondStepStrategy, StepDetails, StrategyKit } from './strategy';

export interface CodeDetails extends StepDetails {
  maskedAddress: string;
  codeExpiresAt: Date;
  resendAvailableAt: Date;
  /** Mail is not going out right now (SMTP failing or a backlog): the customer is told to wait. */
  mailDelayed: boolean;
}

export class EmailCodeStrategy implements SecondStepStrategy {
  readonly method = 'email_code' as const;
  readonly state = 'awaiting_code';
  /** The code is mailed as soon as the step is shown. */
  readonly beginsWhenShown = true;

  constructor(private readonly kit: StrategyKit) {}

  /** Customers with TOTP always give their one-time password instead (ログイン方法に変更はありません). */
  offered(factors: AccountFactors): boolean {
    return !factors.hasTotp;
  }

  /** Mails a code (the first one, or 再送 after the cooldown, up to the send limit). */
  async begin(flow: LoginFlow, account: Account, ctx: LoginContext): Promise<BeginResult> {
    const { ports, rules, brand } = this.kit;
    const { store, clock, random } = ports;
    const now = clock.now();
    const availableAt = this.resendAvailableAt(flow);
    if (availableAt > now) throw new DomainError('resend_too_soon', { retryAfter: Math.ceil((availableAt.getTime() - now.getTime()) / 1000) });
    if (flow.codeSendCount >= rules.codeMaxSends) throw new DomainError('too_many_requests', { retryAfter: 0 });
    const address = await this.representativeAddress(account.id);
    const { code, hash } = this.binding(flow).issue(random);
    const sent = { codeHash: hash, codeExpiresAt: new Date(now.getTime() + rules.codeTtlSeconds * 1000), codeSentAt: now, codeEmailId: address.id };
    await store.transaction(async (tx) => {
      await tx.loginFlows.replaceCode(flow.id, sent);
      const mail = loginCodeMail(brand, { name: account.name, code, validMinutes: Math.round(rules.codeTtlSeconds / 60), requestedAt: now });
      await queueMail(tx, random, now, address.address, mail);
      await recordAudit(tx, now, 'login.code_sent', { accountId: account.id, loginId: account.loginId, ctx, detail: { emailSlot: address.slot } });
    });
    // The caller describes the step from this object: it now says what the row says.
    Object.assign(flow, sent, { codeSendCount: flow.codeSendCount + 1 });
    return null;
  }

  async describe(flow: LoginFlow): Promise<CodeDetails> {
    const { store, clock } = this.kit.ports;
    const address = (await store.emails.listForAccount(flow.accountId)).find((e) => e.id === flow.codeEmailId);
    return {
      maskedAddress: address ? maskAddress(address.address) : '',
      codeExpiresAt: flow.codeExpiresAt ?? clock.now(),
      resendAvailableAt: this.resendAvailableAt(flow),
      mailDelayed: await this.mailDelayed(),
    };
  }

  async verify(flow: LoginFlow, account: Account, input: Record<string, unknown>, ctx: LoginContext) {
    const code = parseCode(input.code, 'code');
    assertUnexpired(flow.codeHash ? flow.codeExpiresAt : null, this.kit.ports.clock.now());
    const codeHash = flow.codeHash as string;
    const { judge, completion } = this.kit;
    return judge.typedCode(flow, account, ctx, { audit: 'login.code_failed', wrong: 'code_invalid' }, async () =>
      this.binding(flow).matches(code, codeHash) ? completion.flow(flow, account, this.method, ctx) : null,
    );
  }

  /** The code is bound to the one attempt that asked for it. */
  private binding(flow: LoginFlow): CodeBinding {
    return new CodeBinding(this.kit.ports.keyed, 'login-code', [flow.id]);
  }

  private resendAvailableAt(flow: LoginFlow): Date {
    return new Date((flow.codeSentAt?.getTime() ?? 0) + this.kit.rules.codeResendCooldownSeconds * 1000);
  }

  private async representativeAddress(accountId: number): Promise<EmailAddress> {
    const list = await this.kit.ports.store.emails.listForAccount(accountId);
    const address = list.find((e) => e.slot === 1 && e.verifiedAt) ?? list.find((e) => e.verifiedAt);
    // Without an address the code cannot be delivered: the customer must call the support desk.
    if (!address) throw new DomainError('forbidden', { reason: 'no_address' });
    return address;
  }

  /** Mails that failed to send, or waited over a minute: the SMTP server is down or behind. */
  private mailDelayed(): Promise<boolean> {
    const { store, clock } = this.kit.ports;
    return store.outbox.isDelayed(new Date(clock.now().getTime() - 60_000)).catch(() => false);
  }
}
