/**
 * What the domain knows of where a client address is: its country and its network (the
 * autonomous system that announces it). The data lives outside the domain (src/geo/, read from
 * the databases shipped in npm packages); the domain sees only this port.
 */
export interface NetworkFacts {
  /** ISO 3166-1 alpha-2 code, or null: a private or documentation address, or one the data does not know. */
  country: string | null;
  /** Autonomous system number, or null when unknown (or the data is still loading). */
  asn: number | null;
  /** The network's organisation name as the data spells it, or null. */
  network: string | null;
}

export const UNKNOWN_NETWORK: NetworkFacts = Object.freeze({ country: null, asn: null, network: null });

export interface NetworkLookup {
  /** Never blocks and never throws: data not loaded yet answers unknown. */
  lookup(ip: string): NetworkFacts;
}
