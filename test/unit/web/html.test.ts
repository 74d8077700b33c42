import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html } from '../../../src/web/html';

describe('html templates', () => {
  it('escape every interpolated value', () => {
    const name = '<script>alert("x")</script>&\'`';
    assert.equal(html`<p>${name}</p>`.value, '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;</p>');
  });
  it('escape inside attributes too', () => {
    assert.equal(html`<input value="${'" onfocus="x'}">`.value, '<input value="&quot; onfocus=&quot;x">');
  });
  it('nest templates without double escaping, and render arrays and empty values', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    assert.equal(html`<ul>${items}</ul>${null}${undefined}${false}`.value, '<ul><li>a&lt;b</li><li>c</li></ul>');
  });
});
