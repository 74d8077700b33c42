/** r18-console: the desk console's SUPPORT_LISTEN and SUPPORT_PUBLIC_URL, read for config.ts. */
import type { Config } from './config';
import { ConfigError, parseListen } from './config-values';

export function deskConfig(e: { SUPPORT_LISTEN?: string; SUPPORT_PUBLIC_URL?: string; PASSKEY_RP_NAME?: string; BROKER_NAME: string }, publicUrl: string): Config['desk'] {
  const deskUrl = new URL((e.SUPPORT_PUBLIC_URL ?? publicUrl).replace(/\/+$/, ''));
  let listen: { host: string; port: number } | null = null;
  try {
    listen = e.SUPPORT_LISTEN ? parseListen(e.SUPPORT_LISTEN) : null;
  } catch {
    throw new ConfigError('SUPPORT_LISTEN must be host:port, e.g. 10.0.0.5:3002');
  }
  return { listen, publicUrl: deskUrl.origin, relyingParty: { id: deskUrl.hostname, name: `${e.PASSKEY_RP_NAME ?? e.BROKER_NAME} support desk`, origin: deskUrl.origin } };
}
