/** The paths a session held to passkey registration may still use, and none besides. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openWhileHeld } from '../../../src/web/passkey-enrolment-gate';

it('registration, logout, login, language switch and static files stay open; everything else is held', () => {
  const open = [
    '/account/passkeys',
    '/account/passkeys?lang=en',
    '/account/passkeys/register/code',
    '/account/passkeys/register/options',
    '/account/passkeys/register/verify',
    '/api/v1/passkeys/registration/options',
    '/api/v1/passkeys/registration',
    '/logout',
    '/api/v1/logout',
    '/api/v1/session',
    '/login',
    '/login/code',
    '/api/v1/login',
    '/static/style.css',
    '/static/brand.css',
  ];
  const held = [
    '/',
    '/account',
    '/account?next=/account/passkeys',
    '/account/info',
    '/account/passkeys/3/delete',
    '/account/passkeys/3/rename',
    '/account/passkeysX',
    '/account/emails/1/change',
    '/account/totp/apply',
    '/api/v1/step-up/options',
    '/api/v1/step-up/consume',
    '/api/v1/trading-password/verify',
    '/api/v1/passkeys',
    '/api/v1/session/x',
  ];
  for (const url of open) assert.equal(openWhileHeld(url), true, url);
  for (const url of held) assert.equal(openWhileHeld(url), false, url);
});
