/**
 * Addresses no country or network owns: private, loopback, link-local, shared (CGNAT) and the
 * documentation ranges. The shipped databases map some of them to a country anyway (TEST-NET-3
 * as AU, 2001:db8::/32 as JP in the 2026-06 data), which would make a test address or an
 * internal proxy look like travel; they are answered as unknown before the data is asked.
 */
import { BlockList } from 'node:net';

const SPECIAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) SPECIAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['3fff::', 20],
  ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) SPECIAL.addSubnet(net, prefix, 'ipv6');

export function isSpecialAddress(ip: string): boolean {
  return SPECIAL.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4');
}
