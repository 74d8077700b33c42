/**
 * The behaviour signals of a login and what they lead to, as pure rules (docs/requirements.md
 * R-RISK-1..4). The facts are gathered by risk-service.ts; nothing here reads a clock or a store.
 *
 * A signal needs a baseline: an account with no successful login in the look-back period (a new
 * account, or the first days after this feature is switched on) has no "usual" country or network,
 * so those signals stay silent until one is learned.
 */
import type { NetworkFacts } from './network';

export const RISK_SIGNALS = ['new_country', 'new_network', 'impossible_travel', 'stuffing_address', 'stuffing_network', 'after_failures', 'unusual_hour'] as const;
export type RiskSignal = (typeof RISK_SIGNALS)[number];

/**
 * What a signal leads to, weakest first: `notify` mails the customer; `step_up` treats the browser
 * as unrecognised (the second step is asked even with a recognised-browser cookie); `passkey`
 * requires the phishing-resistant step (where the customer has no passkey, the second step they
 * have); `refuse` ends the login with a page saying how to reach the desk.
 */
export const RISK_RESPONSES = ['off', 'notify', 'step_up', 'passkey', 'refuse'] as const;
export type RiskResponse = (typeof RISK_RESPONSES)[number];
export type RiskAction = 'allow' | 'step_up' | 'passkey' | 'refuse';

export interface RiskRules {
  responses: Record<RiskSignal, RiskResponse>;
  /** A country or network counts as the account's own when a login succeeded from it within this many days. */
  lookbackDays: number;
  /** Two successful logins from different countries less than this many minutes apart are implausible. */
  travelMinutes: number;
  /** Distinct login IDs failing from one address (or one network) in the throttle window before it is a stuffing source. */
  stuffingPerAddress: number;
  stuffingPerNetwork: number;
  /** Failures since the last success before a right password is suspicious. */
  afterFailures: number;
  /** ALLOWED_COUNTRIES: logins from other (known) countries are refused; null = every country. */
  allowedCountries: readonly string[] | null;
}

export interface PastLogin {
  at: Date;
  country: string | null;
  asn: number | null;
}

export interface LoginFacts {
  now: Date;
  here: NetworkFacts;
  /** The account's successful logins in the look-back period, newest first. */
  past: readonly PastLogin[];
  failuresSinceSuccess: number;
  /** Distinct login IDs that failed from this address / network in the current window. */
  stuffing: { address: number; network: number };
}

export interface RiskDecision {
  signals: RiskSignal[];
  action: RiskAction;
  /** Some signal asks for a mail to the customer. */
  notify: boolean;
}

const JST_OFFSET_MS = 9 * 3600_000;
/** Logins needed before the hours a customer usually logs in at are known. */
const USUAL_HOURS_BASELINE = 10;

const hourJst = (d: Date) => new Date(d.getTime() + JST_OFFSET_MS).getUTCHours();

/** Which signals this login raises (only those whose response is not `off`). */
export function detectSignals(f: LoginFacts, rules: RiskRules): RiskSignal[] {
  const on = (s: RiskSignal) => rules.responses[s] !== 'off';
  const since = f.now.getTime() - rules.lookbackDays * 86_400_000;
  const recent = f.past.filter((p) => p.at.getTime() >= since);
  const signals: RiskSignal[] = [];
  const knownCountries = recent.filter((p) => p.country !== null);
  if (on('new_country') && f.here.country && knownCountries.length > 0 && !knownCountries.some((p) => p.country === f.here.country)) signals.push('new_country');
  const knownNetworks = recent.filter((p) => p.asn !== null);
  if (on('new_network') && f.here.asn !== null && knownNetworks.length > 0 && !knownNetworks.some((p) => p.asn === f.here.asn)) signals.push('new_network');
  const last = knownCountries[0];
  if (on('impossible_travel') && f.here.country && last && last.country !== f.here.country && f.now.getTime() - last.at.getTime() < rules.travelMinutes * 60_000) {
    signals.push('impossible_travel');
  }
  if (on('stuffing_address') && f.stuffing.address >= rules.stuffingPerAddress) signals.push('stuffing_address');
  if (on('stuffing_network') && f.here.asn !== null && f.stuffing.network >= rules.stuffingPerNetwork) signals.push('stuffing_network');
  if (on('after_failures') && f.failuresSinceSuccess >= rules.afterFailures) signals.push('after_failures');
  if (on('unusual_hour') && recent.length >= USUAL_HOURS_BASELINE && !isUsualHour(hourJst(f.now), recent.map((p) => hourJst(p.at)))) signals.push('unusual_hour');
  return signals;
}

/** An hour is usual when some past login fell in it or in the hour either side (JST, wrapping at midnight). */
export function isUsualHour(hour: number, pastHours: readonly number[]): boolean {
  return pastHours.some((h) => Math.min(Math.abs(h - hour), 24 - Math.abs(h - hour)) <= 1);
}

const STRENGTH: Record<RiskAction, number> = { allow: 0, step_up: 1, passkey: 2, refuse: 3 };

/** The strongest response among the signals; `notify` adds a mail to any of them. */
export function decide(signals: readonly RiskSignal[], rules: RiskRules): RiskDecision {
  let action: RiskAction = 'allow';
  let notify = false;
  for (const s of signals) {
    const r = rules.responses[s];
    if (r === 'notify') notify = true;
    else if (r !== 'off' && STRENGTH[r] > STRENGTH[action]) action = r;
  }
  return { signals: [...signals], action, notify };
}

/** ALLOWED_COUNTRIES: an address the data places in another country. Unknown countries pass (a private network, a gap in the data). */
export function countryRefused(here: NetworkFacts, rules: RiskRules, exceptions: readonly string[]): boolean {
  if (!rules.allowedCountries || !here.country) return false;
  return !rules.allowedCountries.includes(here.country) && !exceptions.includes(here.country);
}
