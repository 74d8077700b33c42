/**
 * The second step of a login as a flow: which of the offered methods are open and which is shown
 * (the passkey policy's rules), switching to another open method, starting the shown one and
 * judging an answer by the strategy it names. Strategies know their method; only this file knows
 * how methods relate.
 */
import { DomainError } from '../errors';
import type { Ports } from '../ports';
import type { Account } from '../accounts/records';
import type { LoginFlow, LoginRiskNotice } from './records';
import type { RecognizedDevice } from '../devices/records';
import { AWAITING, createFlow, liveFlow, loadFlow } from './login-flow';
import type { CompletedLogin, LoginContext, LoginRules, SecondStep, SecondStepMethod } from './login-types';
import type { AccountFactors, BeginResult, SecondStepStrategy } from './strategies/strategy';

export class SecondStepFlow {
  constructor(
    private readonly ports: Ports,
    private readonly rules: LoginRules,
    private readonly strategies: ReadonlyMap<SecondStepMethod, SecondStepStrategy>,
  ) {}

  /**
   * The methods this customer may use, best first. Under `phishing-resistant` a customer with a
   * passkey must use it (FSA/JSDA 2025): nothing else is open; so too when a behaviour signal asks
   * for the phishing-resistant step (`passkeyOnly`).
   */
  openMethods(factors: AccountFactors, passkeyOnly = false): SecondStepMethod[] {
    if ((passkeyOnly || this.rules.passkeyPolicy === 'phishing-resistant') && factors.hasPasskey) return ['passkey'];
    return [...this.strategies.values()].filter((s) => s.offered(factors)).map((s) => s.method);
  }

  /** Whether the password alone does not finish this login. */
  needsSecondStep(factors: AccountFactors, recognized: boolean): boolean {
    const additionalAuthApplies = this.ports.clock.now() >= this.rules.additionalAuthFrom;
    return factors.hasTotp || (additionalAuthApplies && !recognized) || (this.rules.passkeyPolicy === 'phishing-resistant' && factors.hasPasskey);
  }

  /** Opens a flow showing the best open method, and starts it when showing starts it. */
  async open(account: Account, factors: AccountFactors, device: RecognizedDevice | null, ctx: LoginContext, passkeyOnly = false, riskNotice: LoginRiskNotice | null = null): Promise<SecondStep> {
    const open = this.openMethods(factors, passkeyOnly);
    const shown = open.find((m) => !this.strategy(m).shownWith);
    if (!shown) throw new DomainError('forbidden', { reason: 'no_second_step' });
    const { handle, flow } = await createFlow(this.ports, this.rules.flowTtlSeconds, { account, shown, open, device, ctx, riskNotice });
    const strategy = this.strategy(shown);
    if (strategy.beginsWhenShown) await strategy.begin?.(flow, account, ctx);
    return this.view(handle, flow);
  }

  async load(handle: string | null | undefined): Promise<LoginFlow> {
    return loadFlow(this.ports.store, this.ports.keyed, handle, this.ports.clock.now());
  }

  /** The flow with this stored id (a passkey challenge names its flow), for `accountId`. */
  async loadById(flowId: string, accountId: number): Promise<LoginFlow> {
    const flow = await this.ports.store.loginFlows.find(flowId);
    if (!flow || flow.accountId !== accountId) throw new DomainError('flow_not_found');
    return liveFlow(flow, this.ports.clock.now());
  }

  /** What the client shows now. */
  async view(handle: string, flow: LoginFlow): Promise<SecondStep> {
    const shown = this.shownOf(flow);
    const alternatives = flow.methodsOpen.filter((m): m is SecondStepMethod => m !== shown.method && this.isPrimary(m));
    return {
      state: shown.state,
      flowHandle: handle,
      method: shown.method,
      alternatives,
      fallback: alternatives[0] ?? null,
      details: (await shown.describe?.(flow)) ?? {},
    };
  }

  /** The view, when the client expects `method` to be shown (a reloaded screen). */
  async expectShown(handle: string | null | undefined, method: SecondStepMethod): Promise<SecondStep> {
    const flow = await this.load(handle);
    if (this.shownOf(flow).method !== method && this.strategy(method).shownWith !== flow.methodShown) {
      throw new DomainError('method_not_shown', { state: this.shownOf(flow).state });
    }
    return this.view(handle as string, flow);
  }

  /**
   * 「パスキーを使えない場合」 and its kind: show another open method. The method left is closed
   * (with the ones shown beside it), so a customer cannot switch back and forth to mail codes
   * past the resend limit.
   */
  async switchTo(
    handle: string | null | undefined,
    o: { to: SecondStepMethod | 'fallback'; from?: SecondStepMethod },
    account: (flow: LoginFlow) => Promise<Account>,
    ctx: LoginContext,
  ): Promise<SecondStep> {
    const flow = await this.load(handle);
    const current = this.shownOf(flow);
    // A screen's button says which method it leaves; a stale screen (switched already) is told so.
    if (o.from && o.from !== current.method) throw new DomainError('method_not_shown', { state: current.state });
    const target = o.to;
    const view = await this.view(handle as string, flow);
    const to = target === 'fallback' ? view.fallback : target;
    if (!to || !view.alternatives.includes(to)) {
      const strict = this.rules.passkeyPolicy === 'phishing-resistant' && current.method === 'passkey';
      throw new DomainError('forbidden', { reason: strict ? 'passkey_required' : 'method_not_open' });
    }
    const open = flow.methodsOpen.filter((m) => m !== current.method && this.strategies.get(m as SecondStepMethod)?.shownWith !== current.method);
    const moved = await this.ports.store.loginFlows.transition(flow.id, { state: AWAITING, methodShown: flow.methodShown }, { methodShown: to, methodsOpen: open });
    if (!moved) throw new DomainError('flow_state', { state: current.state });
    const switched = { ...flow, methodShown: to, methodsOpen: open };
    const strategy = this.strategy(to);
    if (strategy.beginsWhenShown) await strategy.begin?.(switched, await account(flow), ctx);
    return this.view(handle as string, switched);
  }

  /** Starts the shown method again (a new code, a new challenge). */
  async begin(flow: LoginFlow, method: SecondStepMethod, account: Account, ctx: LoginContext): Promise<BeginResult> {
    const strategy = this.usable(flow, method);
    return strategy.begin ? strategy.begin(flow, account, ctx) : null;
  }

  /** Judges an answer by `method`, which must be the shown one (or be offered beside it). */
  verify(flow: LoginFlow, method: SecondStepMethod, account: Account, input: Record<string, unknown>, ctx: LoginContext): Promise<CompletedLogin> {
    return this.usable(flow, method).verify(flow, account, input, ctx);
  }

  private usable(flow: LoginFlow, method: SecondStepMethod): SecondStepStrategy {
    const strategy = this.strategy(method);
    const shown = flow.methodShown;
    if (!flow.methodsOpen.includes(method) || (method !== shown && strategy.shownWith !== shown)) {
      throw new DomainError('method_not_shown', { state: this.shownOf(flow).state });
    }
    return strategy;
  }

  private isPrimary(method: string): boolean {
    const s = this.strategies.get(method as SecondStepMethod);
    return Boolean(s && !s.shownWith);
  }

  private shownOf(flow: LoginFlow): SecondStepStrategy {
    return this.strategy(flow.methodShown as SecondStepMethod);
  }

  private strategy(method: SecondStepMethod): SecondStepStrategy {
    const s = this.strategies.get(method);
    // A flow stored by a version that knew a method this one does not: the customer starts again.
    if (!s) throw new DomainError('flow_not_found');
    return s;
  }
}
