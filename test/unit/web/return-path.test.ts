/** The page a login returns to is a path of this site only: never an open redirect. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeReturnPath } from '../../../src/web/return-path';

describe('safeReturnPath', () => {
  it('keeps a path of this site, with its query and fragment', () => {
    for (const p of ['/', '/account/security', '/account/security?tab=1#history', '/account/passkeys']) assert.equal(safeReturnPath(p), p);
  });

  it('refuses another site, however it is spelled', () => {
    for (const p of ['//evil.example', '/\\evil.example', '\\\\evil.example', '/\\/evil.example', '/x\\y', 'https://evil.example', 'http:/evil.example', 'javascript:alert(1)', '/\t/evil.example', '/\n/evil.example', ' /account', 'evil.example', '', '/' + 'a'.repeat(600)]) {
      assert.equal(safeReturnPath(p), null, JSON.stringify(p));
    }
  });

  it('refuses what is not a string and the login pages themselves', () => {
    for (const p of [undefined, null, ['/account'], 42, '/login', '/login/code', '/login?next=/account']) assert.equal(safeReturnPath(p), null, JSON.stringify(p));
  });
});
