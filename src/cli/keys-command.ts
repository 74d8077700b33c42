/**
 * `mamori keys rotate`: re-encrypts every sealed secret (TOTP secrets, the OpenID Connect clients'
 * secrets and signing keys) under MAMORI_SECRET_KEY. A serving process that does not hold that
 * key could no longer read what is re-encrypted — its customers' TOTP logins and its relying
 * parties' client authentication would fail: the command names those processes (from their
 * heartbeats) and refuses unless --force, in which case it says which to restart.
 */
import { LIVE_FOR_MS, type ServingProcess } from '../domain/operations/serving-processes';
import type { Command, WithRuntime } from './commands';
import type { CliLanguage } from './messages';
import { answer } from './answers';

const listed = (lang: CliLanguage, ps: ServingProcess[]) => ps.map((p) => answer(lang, 'keys.process', { pid: p.pid, host: p.host, started: p.startedAt.toISOString(), keys: p.keyIds.join(', ') }));

export function keysRotateCommand(withRuntime: WithRuntime): Command {
  return {
    words: ['keys', 'rotate'],
    arguments: [],
    options: {},
    flags: { force: 'rotate even while a serving process lacks the new key (then restart it at once)' },
    summary: 're-encrypt every sealed secret (TOTP, OpenID Connect) under MAMORI_SECRET_KEY (old keys in MAMORI_OLD_SECRET_KEYS); refuses while a server lacks the new key',
    async run({ config, options, lang = 'en' }) {
      const key = config.secretKey.id;
      const force = options.force === 'true';
      const outcome = await withRuntime(config, async (rt) => {
        const lacking = await rt.services.servingProcesses.withoutKey(key);
        if (lacking.length && !force) return { lacking, count: null };
        return { lacking, count: await rt.services.sealedSecrets.resealAll((sealed) => rt.secretBox.needsReseal(sealed)) };
      });
      if (outcome.count === null) {
        process.stderr.write([answer(lang, 'keys.refused', { key }), ...listed(lang, outcome.lacking), answer(lang, 'keys.restartFirst', { key, seconds: LIVE_FOR_MS / 1000 })].join('\n') + '\n');
        return 1;
      }
      if (outcome.lacking.length) process.stderr.write([answer(lang, 'keys.forced', { key }), ...listed(lang, outcome.lacking)].join('\n') + '\n');
      process.stdout.write(answer(lang, 'keys.done', { count: outcome.count.totp, oidc: outcome.count.oidc, key }) + '\n');
      return 0;
    },
  };
}
