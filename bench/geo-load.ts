import { loadAsnTable } from '../src/geo/asn-table';
import { loadCountryDatabase } from '../src/geo/country-database';
const m0 = process.memoryUsage();
let t = performance.now();
const tbl = await loadAsnTable();
const t1 = performance.now() - t;
// Array buffers are freed after a collection, not during it: collect a few times, a little apart.
for (let i = 0; i < 3; i++) {
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
}
const m1 = process.memoryUsage();
console.log('asn load ms', t1.toFixed(0), 'ranges', tbl.ranges, 'heap MB', ((m1.heapUsed - m0.heapUsed)/1e6).toFixed(1), 'arrayBuffers MB', ((m1.arrayBuffers - m0.arrayBuffers)/1e6).toFixed(1), 'rss MB', ((m1.rss-m0.rss)/1e6).toFixed(1));
t = performance.now();
const v4only = await loadAsnTable({ v4: (await import('../src/geo/asn-table')).asnCsvPath(4), v6: null });
console.log('v4 only ms', (performance.now()-t).toFixed(0));
t = performance.now();
const c = await loadCountryDatabase();
console.log('country load ms', (performance.now()-t).toFixed(0), c.builtAt);
for (const ip of ['1.1.1.1','8.8.8.8','126.0.0.1','210.138.0.1','153.150.0.1','133.1.1.1','2001:240::1','2400:4050::1','2001:4860:4860::8888','2a00:1450::1', '203.0.113.5', '24.0.0.1', '223.255.255.255','255.255.255.255', '::1']) console.log(ip, c.country(ip), JSON.stringify(tbl.lookup(ip)));
t = performance.now(); for (let i=0;i<100000;i++) tbl.lookup('2400:4050::' + (i%1000).toString(16)); console.log('100k v6 lookups ms', (performance.now()-t).toFixed(0));
t = performance.now(); for (let i=0;i<100000;i++) tbl.lookup('126.0.' + (i%250) + '.1'); console.log('100k v4 lookups ms', (performance.now()-t).toFixed(0));
