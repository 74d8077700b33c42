/**
 * The OpenID Connect provider's commands (docs/operations.md): relying parties registered by the
 * operator, the secret printed once; and the rotation of the signing key.
 */
import type { Config } from '../config';
import type { Runtime } from '../composition/open-runtime';
import type { Command } from './commands';
import { answer } from './answers';

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
      async run({ config, options, env, lang = 'en' }) {
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
        const lines = [answer(lang, publicClient ? 'oidc.registeredPublic' : 'oidc.registered', { id: added.clientId })];
        if (added.secret) lines.push(answer(lang, 'oidc.secret'), added.secret);
        lines.push(answer(lang, config.oidc.enabled ? 'oidc.discovery' : 'oidc.discoveryOff', { url: `${config.publicUrl}/.well-known/openid-configuration` }));
        process.stdout.write(`${lines.join('\n')}\n`);
        return 0;
      },
    },
    {
      words: ['oidc-clients', 'list'],
      arguments: [],
      options: {},
      summary: 'the registered relying parties (never their secrets)',
      async run({ config, lang = 'en' }) {
        const clients = await withRuntime(config, (rt) => rt.services.oidc.clients.list());
        if (clients.length === 0) process.stdout.write(answer(lang, 'oidc.none') + '\n');
        for (const c of clients) {
          const columns = [c.clientId, answer(lang, c.secretSealed === null ? 'oidc.line.public' : 'oidc.line.confidential'), answer(lang, 'oidc.line.redirect', { uris: c.redirectUris.join(',') })];
          if (c.backchannelLogoutUri) columns.push(answer(lang, 'oidc.line.logout', { uri: c.backchannelLogoutUri }));
          columns.push(answer(lang, 'oidc.line.registered', { day: c.createdAt.toISOString().slice(0, 10) }));
          process.stdout.write(columns.join('\t') + '\n');
        }
        return 0;
      },
    },
    {
      words: ['oidc-clients', 'remove'],
      arguments: [CLIENT_ID],
      options: {},
      summary: 'remove a relying party: its tokens stop working at once',
      async run({ config, args, env, lang = 'en' }) {
        const removed = await withRuntime(config, (rt) => rt.services.oidc.clients.remove(args[0]!, actor(env)));
        process.stdout.write(answer(lang, removed ? 'oidc.removed' : 'oidc.notRemoved', { id: args[0]! }) + '\n');
        return removed ? 0 : 1;
      },
    },
    {
      words: ['oidc', 'keys', 'rotate'],
      arguments: [],
      options: {},
      summary: 'make a new ID-token signing key; the old one stays published until its tokens expire',
      async run({ config, env, lang = 'en' }) {
        const r = await withRuntime(config, (rt) => rt.services.oidc.keys.rotate(actor(env)));
        const deleted = r.deleted ? answer(lang, 'oidcKeys.deleted', { n: r.deleted }) : '';
        process.stdout.write(answer(lang, 'oidcKeys.rotated', { kid: r.kid, published: r.stillPublished, ttl: config.oidc.idTokenTtl, deleted }) + '\n');
        return 0;
      },
    },
  ];
}
