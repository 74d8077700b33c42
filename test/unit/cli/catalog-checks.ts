/**
 * What every catalog of the `mamori` command owes the operator, whichever it is (answers.ts,
 * usage-messages.ts): the same keys and placeholders in Japanese and English, and Japanese that
 * is Japanese — kana or kanji once its placeholders are taken out (`{n} 人` counts), and not the
 * English left in place.
 */
import assert from 'node:assert/strict';

const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
export const JAPANESE = /[ぁ-んァ-ヶ一-龠]/;

export function assertSameCatalog(ja: Record<string, string>, en: Record<string, string>): void {
  assert.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.ok(en[key]!.trim() && ja[key]!.trim(), key);
    assert.deepEqual(placeholders(ja[key]!), placeholders(en[key]!), key);
    assert.match(ja[key]!.replace(/\{\w+\}/g, ''), JAPANESE, `ja is Japanese: ${key}`);
    assert.notEqual(ja[key], en[key], `ja is not the English: ${key}`);
  }
}
