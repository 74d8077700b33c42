/**
 * What the `mamori` command answers on success (src/cli/answers.ts): the same keys and
 * placeholders in Japanese and English, Japanese that is Japanese, and the counted keys in pairs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { answer, answerCount, enAnswers, fill, jaAnswers, mailedAnswer } from '../../../src/cli/answers';
import { assertSameCatalog } from './catalog-checks';

describe('the CLI answers', () => {
  it('has the same keys in Japanese and English, with the same placeholders, and answers in Japanese in Japanese', () => {
    assertSameCatalog(jaAnswers, enAnswers);
  });

  it('has every counted key as .one and .other', () => {
    for (const key of Object.keys(enAnswers)) {
      const m = /^(.*)\.(one|other)$/.exec(key);
      if (m) assert.ok(`${m[1]}.${m[2] === 'one' ? 'other' : 'one'}` in enAnswers, key);
    }
    assert.equal(answerCount('en', 'exemptions.inForce', 1), '1 exemption in force');
    assert.equal(answerCount('en', 'exemptions.inForce', 2), '2 exemptions in force');
    assert.equal(answerCount('ja', 'exemptions.inForce', 2), '有効な免除 2 件');
  });

  it('fills placeholders, an absent one with nothing', () => {
    assert.equal(fill('{a} and {b}', { a: 1 }), '1 and ');
    assert.equal(answer('en', 'apiKeys.revoked', { publicId: 'abc', name: 'kato' }), 'Key abc of kato is revoked.');
    assert.equal(mailedAnswer('en', 'done.unlock-login', { loginId: 'gunma5' }), 'login unlocked for gunma5; the customer has been mailed');
    assert.equal(mailedAnswer('ja', 'done.unlock-login', { loginId: 'gunma5' }), 'gunma5 のログインのロックを解除しました。お客様にメールでお知らせしました。');
  });

  it('is the one catalog: no command writes an English sentence of its own', () => {
    // Each command file's answers go through answer(); a literal sentence to stdout would be English only.
    for (const file of ['commands', 'operator-commands', 'passkey-policy-commands', 'oidc-commands', 'keys-command']) {
      const source = readFileSync(new URL(`../../../src/cli/${file}.ts`, import.meta.url), 'utf8');
      const literal = /process\.stdout\.write\(\s*[`'"][A-Za-z]/.exec(source);
      // `demo reset` prints the demo account's Japanese labels and stays as it is.
      const allowed = literal && source.slice(literal.index, literal.index + 60).includes('demo account');
      assert.ok(!literal || allowed, `${file}.ts writes a sentence of its own: ${literal && source.slice(literal.index, literal.index + 80)}`);
    }
  });
});
