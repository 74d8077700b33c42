/**
 * The client's IP address, as the domain accepts it: a syntactically valid IPv4 or IPv6 address
 * and nothing else. What reaches the domain is derived by the web layer from the socket and the
 * configured proxy hops (docs/integration.md); this check is the last line, so that no text a
 * client wrote — a URL in X-Forwarded-For — is stored in the audit log or shown in a mail or in
 * ログイン履歴 (OWASP ASVS 5.0 V16.2.5, log injection; NIST SP 800-63B-4 §3.2.2 counts failures
 * per address, which only works when the address is the real one).
 */
import { isIP } from 'node:net';
import { IP_ADDRESS_TEXT_MAX } from './input-limits';

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** A valid IP address in its usual form (IPv4-mapped IPv6 as plain IPv4), or null. */
export function parseIp(text: unknown): string | null {
  if (typeof text !== 'string' || text.length > IP_ADDRESS_TEXT_MAX) return null;
  const mapped = MAPPED_V4.exec(text);
  const candidate = mapped ? mapped[1]! : text;
  // isIP accepts an IPv6 zone ("fe80::1%eth0"), whose suffix is free text: not an address we keep.
  if (candidate.includes('%')) return null;
  const version = isIP(candidate);
  if (version === 4) return candidate;
  if (version === 6) return candidate.toLowerCase();
  return null;
}

/** A stored address for display: shown only when it is a valid IP, so an old row with junk shows nothing. */
export function shownIp(stored: string | null | undefined): string | null {
  return parseIp(stored);
}
