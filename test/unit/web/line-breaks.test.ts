import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wordBreaks } from '../../../src/web/line-breaks';

describe('wordBreaks', () => {
  it('puts <wbr> between Japanese words only, and escapes the text', () => {
    const out = wordBreaks('ワンタイムパスワードサービス利用停止 -確認-').value;
    assert.equal(out.replace(/<wbr>/g, ''), 'ワンタイムパスワードサービス利用停止 -確認-');
    assert.match(out, /パスワード<wbr>サービス/);
    assert.doesNotMatch(out, /パス<wbr>ワード|サー<wbr>ビス/);
    assert.equal(wordBreaks('Stop the one-time password service').value, 'Stop the one-time password service');
    assert.equal(wordBreaks('<b>').value, '&lt;b&gt;');
  });
});
