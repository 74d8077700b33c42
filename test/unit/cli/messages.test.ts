/**
 * Every error code the domain can raise has a sentence for the operator in Japanese and English:
 * the codes are read from the source of src/domain/errors.ts, so a new code without a sentence
 * fails here even where the compiler is not run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../../src/cli/commands';
import { cliLanguage, enCliErrors, errorSentence, jaCliErrors } from '../../../src/cli/messages';
import { jaCommandSummaries } from '../../../src/cli/summaries-ja';

const source = readFileSync(new URL('../../../src/domain/errors.ts', import.meta.url), 'utf8');
const union = /export type ErrorCode =([^;]+);/.exec(source)![1]!;
const codes = [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);

describe('the CLI sentences', () => {
  it('reads the error codes from errors.ts', () => {
    assert.ok(codes.length > 30 && codes.includes('not_found') && codes.includes('secret_unreadable'), codes.join(','));
  });

  it('has a sentence for every error code, in Japanese and in English', () => {
    for (const code of codes) {
      assert.ok(jaCliErrors[code]?.trim(), `ja: ${code}`);
      assert.ok(enCliErrors[code]?.trim(), `en: ${code}`);
      assert.match(jaCliErrors[code]!, /[ぁ-んァ-ヶ一-龠]/, `ja is Japanese: ${code}`);
    }
  });

  it('has the same precise sentences in both languages, with the same placeholders', () => {
    assert.deepEqual(Object.keys(jaCliErrors).sort(), Object.keys(enCliErrors).sort());
    const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(jaCliErrors)) assert.deepEqual(placeholders(jaCliErrors[key]!), placeholders(enCliErrors[key]!), key);
  });

  it('picks the most precise sentence and fills in the details', () => {
    assert.match(errorSentence('en', 'not_found', { field: 'loginId' }), /No customer has that login ID/);
    assert.match(errorSentence('ja', 'not_found', { field: 'loginId' }), /ログインIDのお客様はいません/);
    assert.match(errorSentence('en', 'not_found', { field: 'thing' }), /^thing was not found/);
    assert.match(errorSentence('en', 'too_many_requests', { retryAfter: 30 }), /about 30 seconds/);
  });

  it("prefers the command's own sentence for a code and detail, with the operator's subject filled in", () => {
    const revoke = { command: 'operators api-keys revoke', subject: 'abc123' };
    assert.equal(errorSentence('en', 'flow_state', { state: 'revoked' }, revoke), 'Key abc123 was already revoked.');
    assert.equal(errorSentence('ja', 'flow_state', { state: 'revoked' }, revoke), 'キー abc123 はすでに失効しています。');
    // Another command, or none, gets the code's own sentence.
    assert.equal(errorSentence('en', 'flow_state', { state: 'revoked' }, { command: 'support reset-totp', subject: 'x' }), enCliErrors.flow_state);
    assert.equal(errorSentence('en', 'flow_state', { state: 'revoked' }), enCliErrors.flow_state);
    // The command's key wins over the code's precise one, which wins over the code's.
    assert.match(errorSentence('en', 'not_found', { field: 'name' }, { command: 'operators enrol', subject: 'nobody' }), /^There is no operator named nobody\.$/);
    assert.match(errorSentence('ja', 'not_found', { field: 'loginId' }, { command: 'operators enrol', subject: 'nobody' }), /ログインIDのお客様はいません/);
    assert.match(errorSentence('ja', 'desk_denied', { reason: 'last_supervisor' }, { command: 'operators disable', subject: 'sato' }), /^sato は最後の有効なスーパーバイザー/);
  });

  it('keys command sentences by commands that exist', () => {
    const names = new Set(COMMANDS.map((c) => c.words.join(' ')));
    const scoped = Object.keys(enCliErrors).filter((k) => k.includes('/'));
    assert.ok(scoped.length >= 10, scoped.join(','));
    for (const key of scoped) {
      const [command, precise] = key.split('/') as [string, string];
      assert.ok(names.has(command), key);
      assert.ok(codes.includes(precise.split('.')[0]!), key);
    }
  });

  it('speaks Japanese for --lang ja or a ja locale, English otherwise', () => {
    assert.equal(cliLanguage({ LANG: 'ja_JP.UTF-8' }), 'ja');
    assert.equal(cliLanguage({ LANG: 'ja_JP.UTF-8', LC_ALL: 'C' }), 'en');
    assert.equal(cliLanguage({ LANG: 'C.UTF-8' }), 'en');
    assert.equal(cliLanguage({}), 'en');
    assert.equal(cliLanguage({ LANG: 'C' }, 'ja'), 'ja');
    assert.equal(cliLanguage({ LANG: 'ja_JP' }, 'en'), 'en');
  });

  it('has a Japanese line of help for every command, and none for a command that does not exist', () => {
    const names = COMMANDS.map((c) => c.words.join(' '));
    for (const n of names) assert.match(jaCommandSummaries[n] ?? '', /[ぁ-んァ-ヶ一-龠]/, n);
    assert.deepEqual(Object.keys(jaCommandSummaries).sort(), [...names].sort());
  });
});
