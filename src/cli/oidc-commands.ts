/**
 * The OpenID Connect provider's commands (docs/operations.md): relying parties registered by the
 * operator, the secret printed once; and the rotation of the signing key.
 */
import type { Config } from '../config';
import type { Runtime } from '../composition/open-runtime';
import type { Command } from './commands';

type WithRuntime = <T>(config: Config, fn: (rt: Runtime) => Promise<T>) => Promise<T>;

const CLIENT_ID = { name: 'ID' };
const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function oidcCommands(withRuntime: WithRuntime, actor: (env: NodeJS.ProcessEnv) => string): Command[] {
  return [
    {
      words: ['oidc-clients', 'add'],
      arguments: [],
      options: { id: 'ID', 'redirect-uri': 'URI[,URI…]', 'post-logout-redirect-uri': 'URI[,URI…]', 'backchannel-logout-uri': 'URI' },
      optional: ['post-logout-redirect-uri', 'backchannel-logout-uri'],
      flags: { public: 'a public client (the app): no secret, PKCE only' },
      summary: 'register a relying party; a confidential one gets its secret printed once',
      async run({ config, options, env }) {
        const publicClient = options.public === 'true';
        const added = await withRuntime(config, (rt) =>
          rt.services.oidc.clients.add(
            {
              clientId: options.id!,
              redirectUris: list(options['redirect-uri']),
              publicClient,
              postLogoutRedirectUris: list(options['post-logout-redirect-uri']),
              backchannelLogoutUri: options['backchannel-logout-uri']?.trim() || null,
            },
            actor(env),
          ),
        );
        const lines = [`The relying party ${added.clientId} is registered${publicClient ? ' as a public client (no secret; it must use PKCE).' : '.'}`];
        if (added.secret) lines.push(`Its client secret, shown this once (client_secret_basic; store it in the relying party's secret store):`, added.secret);
        lines.push(`Discovery: ${config.publicUrl}/.well-known/openid-configuration${config.oidc.enabled ? '' : ' (OIDC_PROVIDER=on is needed for the servers to serve it)'}`);
        process.stdout.write(`${lines.join('\n')}\n`);
        return 0;
      },
    },
    {
      words: ['oidc-clients', 'list'],
      arguments: [],
      options: {},
      summary: 'the registered relying parties (never their secrets)',
      async run({ config }) {
        const clients = await withRuntime(config, (rt) => rt.services.oidc.clients.list());
        if (clients.length === 0) process.stdout.write('No relying party is registered.\n');
        for (const c of clients) {
          const kind = c.secretSealed === null ? 'public' : 'confidential';
          const logout = c.backchannelLogoutUri ? `\tback-channel logout ${c.backchannelLogoutUri}` : '';
          process.stdout.write(`${c.clientId}\t${kind}\tredirect ${c.redirectUris.join(',')}${logout}\tregistered ${c.createdAt.toISOString().slice(0, 10)}\n`);
        }
        return 0;
      },
    },
    {
      words: ['oidc-clients', 'remove'],
      arguments: [CLIENT_ID],
      options: {},
      summary: 'remove a relying party: its tokens stop working at once',
      async run({ config, args, env }) {
        const removed = await withRuntime(config, (rt) => rt.services.oidc.clients.remove(args[0]!, actor(env)));
        process.stdout.write(removed ? `The relying party ${args[0]} is removed; its tokens are no longer accepted.\n` : `No relying party is registered as ${args[0]}; nothing was removed.\n`);
        return removed ? 0 : 1;
      },
    },
    {
      words: ['oidc', 'keys', 'rotate'],
      arguments: [],
      options: {},
      summary: 'make a new ID-token signing key; the old one stays published until its tokens expire',
      async run({ config, env }) {
        const r = await withRuntime(config, (rt) => rt.services.oidc.keys.rotate(actor(env)));
        process.stdout.write(
          `A new signing key ${r.kid} is made; ${r.stillPublished} older key(s) stay published until the ID tokens they signed expire (${config.oidc.idTokenTtl} s)` +
            `${r.deleted ? `, and ${r.deleted} key(s) retired long enough ago were deleted` : ''}. Restart the servers one by one so they sign with the new key.\n`,
        );
        return 0;
      },
    },
  ];
}
