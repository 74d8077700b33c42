/** The phishing-resistant migration's one decision: none | announce | required | exempt. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { announcedDate, exemptionApplies, passkeyRequirement, type PasskeyMigrationRules } from '../../../src/domain/passkey-policy/requirement';
import { parseUntil } from '../../../src/domain/passkey-policy/exemption-service';
import { DomainError } from '../../../src/domain/errors';

const FROM = new Date('2027-04-01T00:00:00+09:00');
const strict: PasskeyMigrationRules = { policy: 'phishing-resistant', requiredFrom: FROM };
const before = new Date(FROM.getTime() - 1);
const at = FROM;
const exemption = (expiresAt: string, revokedAt: Date | null = null) => ({ expiresAt: new Date(expiresAt), revokedAt });

describe('passkeyRequirement', () => {
  it('says nothing without a date, under seed, or to a customer with a passkey', () => {
    assert.deepEqual(passkeyRequirement({ policy: 'phishing-resistant', requiredFrom: null }, { now: at, hasPasskey: false, exemption: null }), { kind: 'none' });
    assert.deepEqual(passkeyRequirement({ policy: 'seed', requiredFrom: FROM }, { now: at, hasPasskey: false, exemption: null }), { kind: 'none' });
    assert.deepEqual(passkeyRequirement(strict, { now: at, hasPasskey: true, exemption: null }), { kind: 'none' });
    assert.deepEqual(passkeyRequirement(strict, { now: before, hasPasskey: true, exemption: null }), { kind: 'none' });
  });

  it('announces the date until the last millisecond before it, and requires from 00:00 JST that day', () => {
    assert.deepEqual(passkeyRequirement(strict, { now: before, hasPasskey: false, exemption: null }), { kind: 'announce', from: FROM });
    assert.deepEqual(passkeyRequirement(strict, { now: at, hasPasskey: false, exemption: null }), { kind: 'required', from: FROM });
    assert.equal(FROM.toISOString(), '2027-03-31T15:00:00.000Z');
  });

  it('an exemption in force exempts, before and after the date; an expired or revoked one does not', () => {
    const until = '2027-05-01T00:00:00+09:00';
    assert.deepEqual(passkeyRequirement(strict, { now: at, hasPasskey: false, exemption: exemption(until) }), { kind: 'exempt', from: FROM, until: new Date(until) });
    assert.equal(passkeyRequirement(strict, { now: before, hasPasskey: false, exemption: exemption(until) }).kind, 'exempt');
    assert.equal(passkeyRequirement(strict, { now: new Date(until), hasPasskey: false, exemption: exemption(until) }).kind, 'required', 'expired at its expiry');
    assert.equal(passkeyRequirement(strict, { now: at, hasPasskey: false, exemption: exemption(until, before) }).kind, 'required', 'revoked');
    assert.equal(exemptionApplies(null, at), false);
  });

  it('the login pages announce the date only before it, and only under the strict policy', () => {
    assert.deepEqual(announcedDate(strict, before), FROM);
    assert.equal(announcedDate(strict, at), null);
    assert.equal(announcedDate({ policy: 'seed', requiredFrom: FROM }, before), null);
  });
});

describe('an exemption until a JST day', () => {
  const now = new Date('2027-04-10T03:00:00Z');
  it('ends at 00:00 JST of the day after', () => {
    assert.equal(parseUntil('2027-04-30', now).toISOString(), '2027-04-30T15:00:00.000Z');
    assert.equal(parseUntil('2027-04-10', now).toISOString(), '2027-04-10T15:00:00.000Z', 'today is allowed: it lasts until midnight');
  });
  it('refuses a malformed, impossible, past or too distant day', () => {
    for (const [raw, reason] of [['2027/04/30', 'format'], ['2027-02-30', 'format'], [20270430, 'format'], ['2027-04-09', 'past'], ['2028-04-30', 'too_late']] as const) {
      assert.throws(() => parseUntil(raw, now), (e: unknown) => e instanceof DomainError && e.details.field === 'until' && e.details.reason === reason, String(raw));
    }
  });
});
