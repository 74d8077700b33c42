/** The ASN table's loader and bisection on small CSVs written here, and on the shipped files. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { loadAsnTable } from '../../../src/geo/asn-table';
import { shippedNetworkLookup } from '../../../src/geo/network-lookup';

describe('ASN table', () => {
  it('finds the range an address falls in, and nothing in the gaps or past the ends (IPv4, IPv6 with quoted names)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asn-'));
    const v4 = join(dir, 'v4.csv');
    const v6 = join(dir, 'v6.csv');
    // 1.0.0.0-1.0.0.255, 1.0.2.0-1.0.3.255
    writeFileSync(v4, '16777216,16777471,13335,"Cloudflare, Inc."\n16777728,16778239,2519,ARTERIA Networks Corporation\n');
    // 2001:200::/32 and 2400:4050::/32 (as integers)
    const n = (hex: string) => BigInt(`0x${hex}`).toString();
    writeFileSync(
      v6,
      `${n('20010200000000000000000000000000')},${n('20010200ffffffffffffffffffffffff')},2500,WIDE Project\r\n${n('24004050000000000000000000000000')},${n('24004050ffffffffffffffffffffffff')},4713,"NTT ""OCN"""\r\n`,
    );
    const t = await loadAsnTable({ v4, v6 });
    assert.equal(t.ranges, 4);
    assert.deepEqual(t.lookup('1.0.0.0'), { asn: 13335, organisation: 'Cloudflare, Inc.' });
    assert.deepEqual(t.lookup('1.0.0.255'), { asn: 13335, organisation: 'Cloudflare, Inc.' });
    assert.equal(t.lookup('1.0.1.0'), null);
    assert.equal(t.lookup('1.0.3.255')?.asn, 2519);
    assert.equal(t.lookup('0.255.255.255'), null);
    assert.equal(t.lookup('255.0.0.1'), null);
    assert.deepEqual(t.lookup('2400:4050:1:2::3'), { asn: 4713, organisation: 'NTT "OCN"' });
    assert.equal(t.lookup('2001:200::')?.asn, 2500);
    assert.equal(t.lookup('2001:201::'), null);
    assert.equal(t.lookup('::1'), null);
  });

  it('keeps none of the file it read: 21 MB of lines naming 5 organisations leave only the table', () => {
    // Two ways it did: a name cut out of the file's text with slice() is, inside V8, a view that
    // keeps the whole text alive (the shipped files' ~80,000 names held 32 MB of heap that way),
    // and the growable columns' spare room stayed reachable from the loader's closures (11 MB).
    // Measured in a fresh process, where nothing else is being collected.
    const dir = mkdtempSync(join(tmpdir(), 'asn-'));
    const v4 = join(dir, 'v4.csv');
    const lines: string[] = [];
    for (let i = 0; i < 250_000; i++) lines.push(`${i * 256},${i * 256 + 255},${64_500 + (i % 5)},Example Networks Organisation Number ${i % 5} With A Long Name${i % 5 === 4 ? ' Télécom' : ''}`);
    writeFileSync(v4, `${lines.join('\n')}\n`);
    const probe = `
      const { loadAsnTable } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../../src/geo/asn-table.ts')).href)});
      const used = () => { for (let i = 0; i < 3; i++) gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
      const before = used();
      const t = await loadAsnTable({ v4: ${JSON.stringify(v4)}, v6: null });
      process.stdout.write(JSON.stringify({ kept: used() - before, name: t.lookup('0.0.4.7')?.organisation }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', probe], { encoding: 'utf8' })) as { kept: number; name: string };
    assert.equal(out.name, 'Example Networks Organisation Number 4 With A Long Name Télécom');
    // The table itself: three Uint32Arrays of 250,000 (3 MB).
    assert.ok(out.kept < 6_000_000, `loading kept ${(out.kept / 1e6).toFixed(1)} MB for a 3 MB table`);
  });

  it('the shipped data: a Japanese and a US network, by IPv4 and IPv6; documentation addresses unknown', async () => {
    const lookup = shippedNetworkLookup({ networks: true });
    await lookup.ready();
    assert.deepEqual(lookup.lookup('126.0.0.1'), { country: 'JP', asn: 17676, network: 'SoftBank Corp.' });
    assert.equal(lookup.lookup('2400:4050::1').asn, 4713);
    assert.deepEqual(lookup.lookup('24.0.0.1'), { country: 'US', asn: 7922, network: 'Comcast Cable Communications, LLC' });
    assert.deepEqual(lookup.lookup('2001:db8::1'), { country: null, asn: null, network: null });
    assert.deepEqual(lookup.lookup('203.0.113.9'), { country: null, asn: null, network: null });
  });

  it('keeps its answers once the data is loaded: the same facts again, which no caller can change', async () => {
    const lookup = shippedNetworkLookup({ networks: true });
    await lookup.ready();
    const first = lookup.lookup('126.0.0.2');
    assert.equal(lookup.lookup('126.0.0.2'), first);
    assert.ok(Object.isFrozen(first));
    assert.deepEqual(first, { country: 'JP', asn: 17676, network: 'SoftBank Corp.' });
  });
});
