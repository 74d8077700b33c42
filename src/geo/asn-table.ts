/**
 * IP → autonomous system from `@ip-location-db/asn` (RouteViews, the RIRs and DB-IP's IP to ASN
 * Lite, CC BY 4.0), which ships only CSV: `start,end,asn,organisation` with the addresses as
 * integers, sorted by start, ranges not overlapping. Each file is read once per process into typed
 * arrays (IPv4 as 32-bit numbers; IPv6 as the two 64-bit halves of each bound) and searched by
 * bisection, so a lookup allocates nothing but the answer. docs/operations.md gives the load time
 * and memory.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isIPv4 } from 'node:net';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { ipv6Halves } from '../domain/risk/address-scope';

export interface AsnHit {
  asn: number;
  organisation: string | null;
}

export interface AsnTable {
  lookup(ip: string): AsnHit | null;
  readonly ranges: number;
}

export function asnCsvPath(family: 4 | 6): string {
  return createRequire(import.meta.url).resolve(`@ip-location-db/asn/asn-ipv${family}-num.csv`);
}

/** Grows like an array, ends as a typed array of exactly its length. */
class Column<T extends Uint32Array | BigUint64Array> {
  private data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1 << 16);
  }
  push(v: T[number]): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data as never);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  /** The filled part, copied; the column lets go of its spare room (the loader's closures keep it). */
  done(): T {
    const filled = this.data.slice(0, this.length) as T;
    this.data = this.make(0);
    return filled;
  }
}

const MASK64 = (1n << 64n) - 1n;

/** The fields of one CSV line; the organisation may be quoted and hold commas. */
function fields(line: string): [string, string, string, string] | null {
  const a = line.indexOf(',');
  const b = line.indexOf(',', a + 1);
  const c = line.indexOf(',', b + 1);
  if (a < 0 || b < 0 || c < 0) return null;
  let org = line.slice(c + 1);
  if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replaceAll('""', '"');
  return [line.slice(0, a), line.slice(a + 1, b), line.slice(b + 1, c), org];
}

/** The file's lines; every few thousand the event loop serves requests, so loading never stalls logins. */
async function eachLine(path: string, take: (line: string) => void): Promise<void> {
  const text = await readFile(path, 'utf8');
  let at = 0;
  let n = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    at = end + 1;
    if (line) take(line);
    if (++n % 20_000 === 0) await yieldToRequests();
  }
}

/** Organisation names are few (one per AS) and repeated on many ranges: stored once per AS. */
function organisations() {
  const byAsn = new Map<number, string>();
  return {
    note(asn: number, org: string) {
      // A copy: the name as cut from the line is, inside V8, a view that keeps the file's whole
      // text alive (32 MB of heap for the shipped files' ~80,000 names).
      if (org && !byAsn.has(asn)) byAsn.set(asn, Buffer.from(org, 'utf8').toString('utf8'));
    },
    of: (asn: number) => byAsn.get(asn) ?? null,
  };
}

export async function loadAsnTable(paths: { v4: string | null; v6: string | null } = { v4: asnCsvPath(4), v6: asnCsvPath(6) }): Promise<AsnTable> {
  const orgs = organisations();
  const v4 = { start: new Column((n) => new Uint32Array(n)), end: new Column((n) => new Uint32Array(n)), asn: new Column((n) => new Uint32Array(n)) };
  if (paths.v4) {
    await eachLine(paths.v4, (line) => {
      const f = fields(line);
      if (!f) return;
      const asn = Number(f[2]);
      v4.start.push(Number(f[0]));
      v4.end.push(Number(f[1]));
      v4.asn.push(asn);
      orgs.note(asn, f[3]);
    });
  }
  const big = (n: number) => new BigUint64Array(n);
  const v6 = { startHi: new Column(big), startLo: new Column(big), endHi: new Column(big), endLo: new Column(big), asn: new Column((n) => new Uint32Array(n)) };
  if (paths.v6) {
    await eachLine(paths.v6, (line) => {
      const f = fields(line);
      if (!f) return;
      const start = BigInt(f[0]);
      const end = BigInt(f[1]);
      const asn = Number(f[2]);
      v6.startHi.push(start >> 64n);
      v6.startLo.push(start & MASK64);
      v6.endHi.push(end >> 64n);
      v6.endLo.push(end & MASK64);
      v6.asn.push(asn);
      orgs.note(asn, f[3]);
    });
  }
  const t4 = { start: v4.start.done(), end: v4.end.done(), asn: v4.asn.done() };
  const t6 = { startHi: v6.startHi.done(), startLo: v6.startLo.done(), endHi: v6.endHi.done(), endLo: v6.endLo.done(), asn: v6.asn.done() };
  const hit = (asn: number): AsnHit | null => (asn > 0 ? { asn, organisation: orgs.of(asn) } : null);
  return {
    ranges: t4.start.length + t6.startHi.length,
    lookup(ip) {
      if (isIPv4(ip)) {
        const n = ipv4Number(ip);
        const i = lastAtOrBelow(t4.start.length, (k) => t4.start[k]! <= n);
        return i >= 0 && n <= t4.end[i]! ? hit(t4.asn[i]!) : null;
      }
      const [hi, lo] = ipv6Halves(ip);
      const i = lastAtOrBelow(t6.startHi.length, (k) => t6.startHi[k]! < hi || (t6.startHi[k] === hi && t6.startLo[k]! <= lo));
      if (i < 0) return null;
      const inside = hi < t6.endHi[i]! || (hi === t6.endHi[i] && lo <= t6.endLo[i]!);
      return inside ? hit(t6.asn[i]!) : null;
    },
  };
}

/** The last index whose row satisfies `atOrBelow` (rows sorted so it holds for a prefix), or -1. */
function lastAtOrBelow(length: number, atOrBelow: (k: number) => boolean): number {
  let lo = 0;
  let hi = length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (atOrBelow(mid)) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function ipv4Number(ip: string): number {
  const p = ip.split('.');
  return ((Number(p[0]) << 24) >>> 0) + (Number(p[1]) << 16) + (Number(p[2]) << 8) + Number(p[3]);
}
