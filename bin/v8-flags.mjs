/**
 * The V8 settings `mamori serve` runs with, set by bin/mamori.js before any of our code loads.
 * Both were found by measuring the server under the benchmark's load (docs/performance.md). An
 * operator who starts node with a flag of their own on the same setting keeps theirs.
 */
const FLAGS = [
  // V8 "pretenures" an allocation site once most of its objects survive a young collection. Early
  // in a server's life some sites the request path shares do, and from then on every request's
  // short-lived objects were allocated in the old generation: each young collection then scanned
  // them (15 ms pauses every 50 ms under load, a quarter of the CPU).
  { setting: 'allocation-site-pretenuring', flag: '--no-allocation-site-pretenuring' },
  // After a full collection V8 lets the old generation grow to up to 4 times what survived before
  // the next one, on a machine with memory to spare. The session cache's entries live a second or
  // two, long enough to be moved to the old generation, so under a flood of distinct sessions the
  // heap reached 4 × its ~60 MB of live data (peak RSS 440 MB). Twice is enough: peak RSS 305–319
  // MB in the same load, with no change in requests/s measured; a process's memory then stays a
  // predictable multiple of what it holds (R-THROTTLE-4 and R-OPS-3 in docs/requirements.md).
  { setting: 'heap-growing-percent', flag: '--heap-growing-percent=100' },
];

/** The flags to set, leaving out any setting the operator already gave node (`execArgv`). */
export function v8Flags(execArgv) {
  const given = (setting) => execArgv.some((a) => new RegExp(`^--(no-)?${setting}(=|$)`).test(a.replaceAll('_', '-')));
  return FLAGS.filter((f) => !given(f.setting)).map((f) => f.flag);
}
