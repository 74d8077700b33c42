#!/usr/bin/env node
// `npm test`: the type check, then the unit, integration and browser suites in that order, each
// with a compact reporter (a dot per test, failures in full at the end; the browser suite, which is
// short, with its test names and what it prints), and one last line totalling every run:
//   TOTAL: N passed, M failed, K skipped (typecheck ok, unit …, integration …, e2e …)
// Every suite runs even when one before it failed, so one run shows everything; the exit code is
// non-zero when anything failed. Each suite's full TAP goes to test-results/tap/<suite>.tap.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const SUITES = [
  { name: 'unit', dir: 'test/unit', concurrency: 2, reporter: 'dot' },
  { name: 'integration', dir: 'test/integration', concurrency: 2, reporter: 'dot' },
  { name: 'e2e', dir: 'test/e2e', concurrency: 1, reporter: 'spec' },
];
const only = process.argv.slice(2);
const TAP_DIR = 'test-results/tap';
mkdirSync(TAP_DIR, { recursive: true });

const testFiles = (dir) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(dir, f))
    .sort();

/**
 * The results in a suite's TAP: tests passed, failed and skipped (suites, and tests that failed
 * only because a subtest did, are not counted), and each failure with its error. Counted here
 * rather than read from the runner's closing summary, which --test-force-exit cuts off (as it
 * cuts off the dot reporter's list of failures).
 */
function resultsOf(tapFile) {
  let lines = [];
  try {
    lines = readFileSync(tapFile, 'utf8').split('\n');
  } catch {
    return null; // the runner did not start
  }
  const r = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(ok|not ok) \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$/.exec(lines[i]);
    if (!m) continue;
    const block = [];
    if (lines[i + 1] === `${m[1]}  ---`) {
      for (let j = i + 2; j < lines.length && lines[j] !== `${m[1]}  ...`; j++) block.push(lines[j].slice(m[1].length + 2));
    }
    if (block.some((l) => l === "type: 'suite'" || l === "failureType: 'subtestsFailed'")) continue;
    if (m[4]) r.skipped += 1;
    else if (m[2] === 'ok') r.passed += 1;
    else {
      r.failed += 1;
      const detail = block.filter((l) => !/^(duration_ms|type|failureType):/.test(l)).slice(0, 30);
      r.failures.push(`✖ ${m[3]}\n${detail.map((l) => `    ${l}`).join('\n')}`);
    }
  }
  return r;
}

const parts = [];
const sum = { passed: 0, failed: 0, skipped: 0 };

if (!only.length || only.includes('typecheck')) {
  console.log('== typecheck');
  const tsc = spawnSync('npx', ['tsc', '--noEmit', '-p', '.'], { stdio: 'inherit' });
  parts.push(`typecheck ${tsc.status === 0 ? 'ok' : 'FAILED'}`);
  if (tsc.status !== 0) sum.failed += 1;
}

for (const suite of SUITES) {
  if (only.length && !only.includes(suite.name)) continue;
  const files = testFiles(suite.dir);
  console.log(`\n== ${suite.name} (${files.length} files)`);
  const tap = join(TAP_DIR, `${suite.name}.tap`);
  const run = spawnSync(
    process.execPath,
    [
      '--import', 'tsx', '--test', '--test-force-exit', `--test-concurrency=${suite.concurrency}`,
      `--test-reporter=${suite.reporter}`, '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { stdio: 'inherit' },
  );
  const t = resultsOf(tap) ?? { passed: 0, failed: 0, skipped: 0, failures: [] };
  // A run that failed without a failed test in its TAP (a crash, a file that did not load) still fails.
  if (run.status !== 0 && t.failed === 0) t.failures.push(`✖ the ${suite.name} run exited with ${run.status ?? run.signal}`), (t.failed = 1);
  if (t.failures.length) console.log(`\nFailed tests (${suite.name}):\n\n${t.failures.join('\n\n')}`);
  sum.passed += t.passed;
  sum.failed += t.failed;
  sum.skipped += t.skipped;
  parts.push(`${suite.name} ${t.passed}/${t.failed}/${t.skipped}`);
}

console.log(`\nTOTAL: ${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped (${parts.join(', ')}; passed/failed/skipped)`);
process.exit(sum.failed ? 1 : 0);
