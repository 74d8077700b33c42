/** The part of oidc-provider (which ships no types) that Mamori uses. */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContextWithOIDC {
    req: IncomingMessage;
    type: string;
    body: unknown;
    status: number;
    set(header: string, value: string): void;
    response: { get(header: string): string };
    oidc: {
      route?: string;
      urlFor(route: string): string;
      params?: Record<string, unknown>;
      session?: { uid: string; accountId?: string; acr?: string; amr?: string[]; state?: { secret?: string } };
      result?: { login?: unknown };
      client?: { clientId: string };
      acr?: string;
      [k: string]: unknown;
    };
    [k: string]: unknown;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string; uid?: string };
    grantId?: string;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  export interface ClientInstance {
    clientId: string;
    backchannelLogoutUri?: string;
    backchannelLogout(sub: string, sid: string | undefined): Promise<void>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, opts?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    on(event: string, listener: (...args: any[]) => void): void;
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): this;
    Grant: { new (init: { accountId: string; clientId: string }): Grant; find(id: string): Promise<Grant | undefined> };
    Client: { find(id: string): Promise<ClientInstance | undefined> };
  }

  export const interactionPolicy: {
    base(): Array<{ name: string; checks: unknown[] & { add(check: unknown, index?: number): void } }> & { get(name: string): { checks: unknown[] & { add(check: unknown, index?: number): void } } };
    Check: {
      new (reason: string, description: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>): unknown;
      REQUEST_PROMPT: true;
      NO_NEED_TO_PROMPT: false;
    };
  };

  export const errors: Record<string, new (...args: any[]) => Error>;
  export default Provider;
}
