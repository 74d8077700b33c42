/**
 * Break opportunities between Japanese words, for headings and labels longer than a phone's line.
 * The stylesheet keeps Japanese words whole (word-break: keep-all / auto-phrase), so a compound
 * such as ワンタイムパスワードサービス利用停止 has nowhere to break at 320 px; a <wbr> between its
 * words (Intl.Segmenter's word boundaries, the same the screen test measures) lets it break as a
 * reader would, ワンタイムパスワード｜サービス｜利用停止, without changing its text or accessible name.
 */
import { html, type Html } from './html';

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;
const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

export function wordBreaks(text: string): Html {
  const parts: (string | Html)[] = [];
  let previous = '';
  for (const { segment } of segmenter.segment(text)) {
    // Only between two Japanese words: Latin text already breaks at its spaces.
    if (previous && JAPANESE.test(previous.slice(-1)) && JAPANESE.test(segment.charAt(0))) parts.push(html`<wbr>`);
    parts.push(segment);
    previous = segment;
  }
  return html`${parts}`;
}
