/**
 * Whether a customer must register a passkey now: the one decision of the phishing-resistant
 * migration (PASSKEY_REQUIRED_FROM with PASSKEY_POLICY=phishing-resistant), a pure function of
 * the rules, the instant and two facts about the account, used at login, on the top page and by
 * the announcement.
 */
import type { PasskeyPolicy } from '../login/login-types';

export interface PasskeyMigrationRules {
  policy: PasskeyPolicy;
  /** 00:00 JST of PASSKEY_REQUIRED_FROM, or null when the brokerage has set no date. */
  requiredFrom: Date | null;
}

export interface ExemptionFacts {
  expiresAt: Date;
  revokedAt: Date | null;
}

export type PasskeyRequirement =
  /** Nothing to say: no migration under way, or the customer has a passkey. */
  | { kind: 'none' }
  /** Before the date: the customer is told the date and why. */
  | { kind: 'announce'; from: Date }
  /** From the date: the session may do nothing but register a passkey. */
  | { kind: 'required'; from: Date }
  /** The support desk's time-limited exemption: the old second step still, and the risk shown. */
  | { kind: 'exempt'; from: Date; until: Date };

/** The date passkeys become mandatory, when the policy and the configuration set one. */
export function migrationDate(rules: PasskeyMigrationRules): Date | null {
  return rules.policy === 'phishing-resistant' ? rules.requiredFrom : null;
}

/** An exemption applies until its expiry, unless revoked; an expired one no longer does. */
export function exemptionApplies(e: ExemptionFacts | null | undefined, now: Date): e is ExemptionFacts {
  return Boolean(e && e.revokedAt === null && now < e.expiresAt);
}

export function passkeyRequirement(rules: PasskeyMigrationRules, facts: { now: Date; hasPasskey: boolean; exemption: ExemptionFacts | null }): PasskeyRequirement {
  const from = migrationDate(rules);
  if (!from || facts.hasPasskey) return { kind: 'none' };
  if (exemptionApplies(facts.exemption, facts.now)) return { kind: 'exempt', from, until: facts.exemption.expiresAt };
  return facts.now < from ? { kind: 'announce', from } : { kind: 'required', from };
}

/** What every login page says before the date (the customer is not known yet): the date, or null. */
export function announcedDate(rules: PasskeyMigrationRules, now: Date): Date | null {
  const from = migrationDate(rules);
  return from && now < from ? from : null;
}
