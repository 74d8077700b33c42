/**
 * Readers of the configuration's structured values — proxy lists, listen addresses, keys — and
 * the production check that secrets were generated, not typed. config.ts assembles them.
 */
import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { weakKeyReason, weakTokenReason } from './crypto/secret-strength';
export type TrustProxy = false | true | { hops: number } | { proxies: string[] };

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One TRUST_PROXY entry: an IP, a CIDR (`10.0.0.0/8`, `fd00::/8`) or a name proxy-addr knows. */
function validProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [ip, bits, ...rest] = entry.split('/');
  const version = isIP(ip ?? '');
  if (!version || rest.length) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY, in the forms Fastify's `trustProxy` takes (the client is the right-most address
 * that is not a trusted proxy; proxy-addr). `true` believes whatever a client writes into
 * X-Forwarded-For, so production refuses it (OWASP ASVS 5.0 V4.1.1, trust only configured proxies).
 */
export function parseTrustProxy(text: string, production: boolean): TrustProxy {
  const t = text.trim();
  if (t === '' || t === 'false' || t === '0') return false;
  if (t === 'true') {
    if (production) throw new ConfigError('TRUST_PROXY=true would believe any X-Forwarded-For a client writes; list your proxies\' addresses (e.g. TRUST_PROXY=10.0.0.5,10.0.1.0/24) or give the number of proxy hops');
    return true;
  }
  if (/^\d+$/.test(t)) {
    const hops = Number(t);
    if (hops > 10) throw new ConfigError('TRUST_PROXY as a hop count must be between 0 and 10');
    return { hops };
  }
  const proxies = t.split(',').map((s) => s.trim());
  const bad = proxies.filter((p) => !validProxyEntry(p));
  if (bad.length || !proxies.length) {
    throw new ConfigError(`TRUST_PROXY must be false, a number of proxy hops, or comma-separated proxy addresses/CIDRs (e.g. 127.0.0.1,10.0.0.0/8); not valid: ${bad.map((b) => JSON.stringify(b)).join(', ') || '(empty)'}`);
  }
  return { proxies };
}

/** SUPPORT_API_LISTEN: `host:port` (IPv6 as `[::1]:3001`). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) throw new ConfigError('SUPPORT_API_LISTEN must be host:port, e.g. 127.0.0.1:3001');
  return { host: (m[1] ?? m[2])!, port };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Keys are 32 random bytes given as 64 hex characters or base64; the id lets sealed secrets name their key. */
export function parseKey(text: string, name: string): { id: string; key: Buffer } {
  const t = text.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length !== 32) throw new ConfigError(`${name} must be 32 random bytes as 64 hex characters or base64 (generate one with: openssl rand -hex 32)`);
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

/** Keys shown in the documentation: a production deployment that copied one is refused. */
/**
 * Loopback, RFC 1918 and unique-local (RFC 4193) ranges: where a metrics listener may be bound, so
 * that counters useful to an attacker are never served where customers can reach them.
 */
const PRIVATE = (() => {
  const b = new BlockList();
  b.addSubnet('127.0.0.0', 8, 'ipv4');
  b.addSubnet('10.0.0.0', 8, 'ipv4');
  b.addSubnet('172.16.0.0', 12, 'ipv4');
  b.addSubnet('192.168.0.0', 16, 'ipv4');
  b.addAddress('::1', 'ipv6');
  b.addSubnet('fc00::', 7, 'ipv6');
  return b;
})();

/** `host:port` or `[v6]:port` with a private or loopback IP address; the problem otherwise. */
export function parseMetricsListen(text: string): { host: string; port: number } | string {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const host = m ? (m[1] ?? m[2]!) : '';
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) return 'METRICS_LISTEN must be host:port (e.g. 127.0.0.1:9464 or [::1]:9464)';
  const family = isIP(host);
  if (!family) return 'METRICS_LISTEN must name an IP address, not a host name (e.g. 10.0.0.5:9464)';
  if (!PRIVATE.check(host, family === 4 ? 'ipv4' : 'ipv6')) return `METRICS_LISTEN ${host} is not a loopback or private address (127.0.0.0/8, 10/8, 172.16/12, 192.168/16, ::1, fc00::/7)`;
  return { host, port };
}

const GENERATE = 'generate one with: openssl rand -hex 32';

/** Production refuses secrets that were typed rather than generated (ASVS 5.0 V13.3). */
export function weakSecretProblems(e: { MAMORI_SECRET_KEY?: string; MAMORI_OLD_SECRET_KEYS?: string; METRICS_TOKEN?: string }): string[] {
  const problems: string[] = [];
  const key = (text: string, name: string) => {
    let reason: string | null = null;
    try {
      reason = weakKeyReason(parseKey(text, name).key);
    } catch {
      return; // its format is reported where it is parsed
    }
    if (reason) problems.push(`${name} does not look random (it ${reason}); ${GENERATE}`);
  };
  if (e.MAMORI_SECRET_KEY) key(e.MAMORI_SECRET_KEY, 'MAMORI_SECRET_KEY');
  (e.MAMORI_OLD_SECRET_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean).forEach((k, i) => key(k, `MAMORI_OLD_SECRET_KEYS[${i}]`));
  if (e.METRICS_TOKEN) {
    const reason = weakTokenReason(e.METRICS_TOKEN);
    if (reason) problems.push(`METRICS_TOKEN does not look random (it ${reason}); ${GENERATE}`);
  }
  return problems;
}

/**
 * WEBAUTHN_ORIGINS: comma-separated origins an app's WebAuthn answers may carry besides PUBLIC_URL's:
 * `https://host[:port]` (no path) or an Android app's `android:apk-key-hash:<base64url>`.
 * Anything else is a configuration error, never a silently wider acceptance.
 */
export function parseWebauthnOrigins(raw: string, problems: string[]): string[] {
  const origins: string[] = [];
  for (const item of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (/^android:apk-key-hash:[A-Za-z0-9_-]{16,}$/.test(item)) {
      origins.push(item);
      continue;
    }
    let u: URL | null = null;
    try {
      u = new URL(item);
    } catch {
      u = null;
    }
    if (!u || u.protocol !== 'https:' || u.origin !== item.replace(/\/+$/, '')) {
      problems.push(`WEBAUTHN_ORIGINS: "${item}" is not an https origin (https://host[:port]) or android:apk-key-hash:…`);
      continue;
    }
    origins.push(u.origin);
  }
  return origins;
}
