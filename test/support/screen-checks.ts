/**
 * The checks the screen-by-screen test makes on whatever screen a page shows: the layout at
 * desktop and phone widths (layout-probe.browser.js), axe-core's WCAG 2.2 AA rules, and on English
 * screens any Japanese left in them. Layout, not pixels: screenshots are written for people to
 * look at, never compared.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const WIDTHS = [1280, 390, 320] as const;
/** axe's rules do not depend on the width but colour and target size do on the layout: both widths of the issue. */
const AXE_WIDTHS = new Set<number>([1280, 390]);
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../test-results/screens');

const probeSource = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'layout-probe.browser.js'), 'utf8');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type Lang = 'ja' | 'en';
export type Check = 'scroll' | 'word' | 'button' | 'overlap' | 'axe' | 'japanese';

export interface Problem {
  screen: string;
  width: number;
  lang: Lang;
  check: Check;
  /** For axe the rule id (e.g. color-contrast); for the others what broke. */
  rule: string;
  detail: string;
}

export const describeProblem = (p: Problem) => `${p.screen} ${p.width}px ${p.lang} ${p.check}${p.check === 'axe' ? `:${p.rule}` : ''}: ${p.detail}`;

// Japanese script: kana, CJK ideographs, full-width forms and Japanese punctuation.
const JAPANESE = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/;

/**
 * The text of the screen outside what may stay Japanese on an English page: the language switch
 * (marked lang="ja") and the brokerage's name in the header, which is the configured brand.
 */
const englishScreenText = `(() => {
  const skip = (el) => el.closest('[lang=ja], header.site .brand, script, style');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent.trim() && !skip(n.parentElement)) texts.push(n.textContent.trim().replace(/\\s+/g, ' '));
  for (const el of document.body.querySelectorAll('[aria-label],[alt],[title],input[value]:not([type=hidden])')) if (!skip(el)) texts.push(el.getAttribute('aria-label') || el.getAttribute('alt') || el.getAttribute('title') || el.getAttribute('value') || '');
  return texts;
})()`;

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

async function runAxe(page: Page): Promise<AxeResult['violations']> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  // Through the debugging protocol rather than a <script> tag, which the screens' CSP (script-src 'self') refuses.
  if (!loaded) await page.evaluate(axeSource);
  const result = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} }, resultTypes: ['violations'] })`)) as AxeResult;
  return result.violations;
}

/** Every check at every width on the screen the page shows now; returns the problems found. */
export async function inspectScreen(page: Page, screen: string, lang: Lang): Promise<Problem[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const problems: Problem[] = [];
  await page.waitForLoadState('load');
  if (lang === 'en') {
    const texts = (await page.evaluate(englishScreenText)) as string[];
    const leaks = [...new Set(texts.filter((w) => JAPANESE.test(w)).map((w) => w.slice(0, 60)))];
    for (const leak of leaks) problems.push({ screen, width: 0, lang, check: 'japanese', rule: leak, detail: `Japanese on an English screen: ${leak}` });
  }
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
    // Let a layout that depends on the width settle before it is measured.
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const found = (await page.evaluate(probeSource)) as { check: Check; detail: string }[];
    for (const f of found) problems.push({ screen, width, lang, check: f.check, rule: f.check, detail: f.detail });
    if (AXE_WIDTHS.has(width)) {
      for (const v of await runAxe(page)) {
        const targets = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
        problems.push({ screen, width, lang, check: 'axe', rule: v.id, detail: `${v.help} (${v.nodes.length}×: ${targets})` });
      }
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${screen}-${width}-${lang}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return problems;
}
