import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authMethodsFor, authMethodsOf, isPhishingResistant } from '../../../src/domain/sessions/auth-methods';

describe('how the customer got in (authMethods, phishingResistant)', () => {
  it('a login by password and a second step names both; passwordless names the passkey alone', () => {
    assert.deepEqual(authMethodsFor('email_code'), ['password', 'email_code']);
    assert.deepEqual(authMethodsFor('passkey'), ['password', 'passkey']);
    assert.deepEqual(authMethodsFor('passkey', true), ['passkey']);
    assert.deepEqual(authMethodsFor('password'), ['password']);
  });

  it('a session made before migration 0014 is read from its method', () => {
    assert.deepEqual(authMethodsOf({ method: 'totp', authMethods: null }), ['password', 'totp']);
    assert.deepEqual(authMethodsOf({ method: 'passkey', authMethods: ['passkey'] }), ['passkey']);
  });

  it('phishing-resistant only with a passkey at login or a passkey step-up', () => {
    assert.equal(isPhishingResistant({ method: 'email_code', authMethods: ['password', 'email_code'], stepUpAt: null }), false);
    assert.equal(isPhishingResistant({ method: 'totp', authMethods: null, stepUpAt: null }), false);
    assert.equal(isPhishingResistant({ method: 'email_code', authMethods: ['password', 'email_code'], stepUpAt: new Date() }), true);
    assert.equal(isPhishingResistant({ method: 'passkey', authMethods: ['passkey'], stepUpAt: null }), true);
  });
});
