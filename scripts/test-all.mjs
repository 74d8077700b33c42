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

/** The totals the runner writes at the end of its TAP (`# pass 12` …); a run that died before them counts as one failure. */
function totalsOf(tapFile, exitCode) {
  let text = '';
  try {
    text = readFileSync(tapFile, 'utf8');
  } catch {
    // no TAP at all: the runner did not start
  }
  const count = (label) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  const t = { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
  if (Number.isNaN(t.passed + t.failed + t.skipped)) return { passed: 0, failed: 1, skipped: 0, broken: true };
  if (exitCode !== 0 && t.failed === 0) t.failed = 1; // e.g. a file that failed to load
  return t;
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
  const t = totalsOf(tap, run.status);
  sum.passed += t.passed;
  sum.failed += t.failed;
  sum.skipped += t.skipped;
  parts.push(`${suite.name} ${t.broken ? 'did not finish' : `${t.passed}/${t.failed}/${t.skipped}`}`);
}

console.log(`\nTOTAL: ${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped (${parts.join(', ')}; passed/failed/skipped)`);
process.exit(sum.failed ? 1 : 0);
