/**
 * IP → country from `@ip-location-db/geo-whois-asn-country-mmdb` (GeoFeed + RIR whois + ASN
 * data; one file for IPv4 and IPv6), read with `maxmind`. Updating the npm package updates the
 * data; nothing is downloaded at run time.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Reader } from 'maxmind';

/** The package's records are `{ country_code: 'JP' }`, not MaxMind's own shape, which the reader's types name. */
interface CountryRecord {
  country_code?: unknown;
}

export interface CountryDatabase {
  country(ip: string): string | null;
  /** When the data was built (the package's version names the same day). */
  builtAt: Date;
}

export function countryDatabasePath(): string {
  return createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
}

export async function loadCountryDatabase(path = countryDatabasePath()): Promise<CountryDatabase> {
  const reader = new Reader(await readFile(path));
  return {
    builtAt: reader.metadata.buildEpoch,
    country(ip) {
      const code = (reader.get(ip) as CountryRecord | null)?.country_code;
      return typeof code === 'string' && /^[A-Z]{2}$/.test(code) ? code : null;
    },
  };
}
