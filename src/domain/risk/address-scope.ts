/**
 * The part of a client address that names one client. An IPv6 customer is usually handed a whole
 * /64, so an attacker rotating through it is still one source: IPv6 addresses count by their /64.
 */
import { isIPv6 } from 'node:net';

export function addressScope(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const [hi] = ipv6Halves(ip);
  return `${hi.toString(16)}::/64`;
}

/** An IPv6 address (already validated) as its two 64-bit halves. */
export function ipv6Halves(ip: string): [bigint, bigint] {
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  let hi = 0n;
  let lo = 0n;
  for (let i = 0; i < 8; i++) {
    const g = BigInt(parseInt(groups[i] ?? '0', 16));
    if (i < 4) hi = (hi << 16n) | g;
    else lo = (lo << 16n) | g;
  }
  return [hi, lo];
}
