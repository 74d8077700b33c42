import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskAddress } from '../../../src/domain/addresses/masking';

describe('address masking', () => {
  it('shows the first characters of the local part, then a fixed run of stars, hiding the domain', () => {
    assert.equal(maskAddress('jimusho.gunma@example.com'), 'jimu*****');
    assert.equal(maskAddress('jimu@example.com'), 'ji*****');
  });
  it('hides at least half of short local parts', () => {
    assert.equal(maskAddress('abc@example.com'), 'a*****');
    assert.equal(maskAddress('a@example.com'), 'a*****');
  });
  it('gives every length the same number of stars, so the length leaks nothing', () => {
    assert.equal(maskAddress('abcdefgh@x.jp').length, maskAddress('abcdefghijklmnopqrstuvwxyz@x.jp').length);
  });
  it('counts characters, not UTF-16 units, in odd addresses', () => {
    assert.equal(maskAddress('山田太郎さんです@example.jp'), '山田太郎*****');
    assert.ok(!maskAddress('"odd@local"@example.com').includes('example'));
  });
});
