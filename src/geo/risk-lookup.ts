/** The lookup the configured signals need: none at all, countries only, or countries and networks. */
import { UNKNOWN_NETWORK, type NetworkLookup } from '../domain/risk/network';
import type { RiskRules } from '../domain/risk/signals';
import { shippedNetworkLookup, type ShippedNetworkLookup } from './network-lookup';

const NOTHING: ShippedNetworkLookup = { lookup: () => UNKNOWN_NETWORK, ready: async () => {} };

export function riskNetworkLookup(rules: RiskRules): ShippedNetworkLookup {
  const r = rules.responses;
  const networks = r.new_network !== 'off' || r.stuffing_network !== 'off';
  const countries = networks || r.new_country !== 'off' || r.impossible_travel !== 'off' || rules.allowedCountries !== null;
  if (!countries) return NOTHING;
  return shippedNetworkLookup({ networks });
}

export type { ShippedNetworkLookup };
