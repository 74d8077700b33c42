/**
 * The NetworkLookup port over the shipped databases. The data is immutable, so it is loaded once
 * per process (whatever the number of runtimes a test opens) and in the background: a lookup
 * before it is there answers "unknown" (no signal) rather than holding a login. The ASN table is
 * loaded only when a signal that needs networks is on (it costs seconds of CPU and ~60 MB).
 */
import { UNKNOWN_NETWORK, type NetworkFacts, type NetworkLookup } from '../domain/risk/network';
import { loadAsnTable, type AsnTable } from './asn-table';
import { loadCountryDatabase, type CountryDatabase } from './country-database';
import { isSpecialAddress } from './special-addresses';

let countries: Promise<CountryDatabase> | null = null;
let asns: Promise<AsnTable> | null = null;
let loadedCountries: CountryDatabase | null = null;
let loadedAsns: AsnTable | null = null;

const KEPT_ANSWERS = 10_000;

export interface ShippedNetworkLookup extends NetworkLookup {
  /** Resolves once the data this lookup uses is loaded (tests, and `mamori serve`'s log line). */
  ready(): Promise<void>;
}

export function shippedNetworkLookup(o: { networks: boolean; onError?: (e: unknown) => void }): ShippedNetworkLookup {
  const fail = (e: unknown) => {
    o.onError?.(e);
    return null;
  };
  countries ??= loadCountryDatabase().then((db) => (loadedCountries = db));
  const waits: Promise<unknown>[] = [countries.catch(fail)];
  if (o.networks) {
    asns ??= loadAsnTable().then((t) => (loadedAsns = t));
    waits.push(asns.catch(fail));
  }
  // Every login looks its address up, and a customer's logins come from a handful of addresses:
  // the answers are kept (the data never changes once loaded), within a bound an attacker rotating
  // addresses cannot grow past. Answers given before the data is loaded ("unknown") are not kept.
  const known = new Map<string, NetworkFacts>();
  const find = (ip: string): NetworkFacts => {
    if (isSpecialAddress(ip)) return UNKNOWN_NETWORK;
    const hit = o.networks ? loadedAsns?.lookup(ip) : null;
    return { country: loadedCountries?.country(ip) ?? null, asn: hit?.asn ?? null, network: hit?.organisation ?? null };
  };
  return {
    async ready() {
      await Promise.all(waits);
    },
    lookup(ip: string): NetworkFacts {
      const kept = known.get(ip);
      if (kept) return kept;
      const facts = Object.freeze(find(ip));
      if (loadedCountries && (!o.networks || loadedAsns)) {
        if (known.size >= KEPT_ANSWERS) known.clear();
        known.set(ip, facts);
      }
      return facts;
    },
  };
}
