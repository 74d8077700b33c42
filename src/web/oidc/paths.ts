/** Where the provider lives under PUBLIC_URL, apart from oidc-provider itself (loaded only when OIDC_PROVIDER=on). */
export const OIDC_PREFIX = '/oidc';
export const INTERACTION_PATH = `${OIDC_PREFIX}/interaction`;

/** The acr values a relying party asked for (`acr_values`, space-separated). */
export function requestedAcrs(params: Record<string, unknown> | undefined): string[] {
  const raw = params?.acr_values;
  return typeof raw === 'string' ? raw.split(' ').filter(Boolean) : [];
}

/** The request's context as Mamori derived it, carried on the raw request into oidc-provider's events. */
export const MAMORI_CONTEXT = Symbol('mamori context');
