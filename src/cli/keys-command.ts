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

const SAY = {
  ja: {
    refused: '鍵のローテーションを中止しました。次のサーバープロセスは新しい鍵 {key} を持っていません。ローテーションすると、そのプロセスではお客様のワンタイムパスワードや OpenID Connect のクライアントシークレットを読めなくなります:',
    restartFirst: 'これらのプロセスを MAMORI_SECRET_KEY={key}（新しい鍵）と MAMORI_OLD_SECRET_KEYS（古い鍵）で再起動してから、もう一度実行してください。止まっているプロセスは {seconds} 秒後に一覧から消えます。今すぐ行うには --force を付けてください。',
    forced: '注意: 次のサーバープロセスは新しい鍵 {key} を持っていません。すぐに MAMORI_SECRET_KEY={key} で再起動してください:',
    process: '  - プロセス {pid}（ホスト {host}、{started} 起動、鍵 {keys}）',
    done: '{count} 件のワンタイムパスワードの秘密鍵と、{oidc} 件の OpenID Connect の秘密（クライアントシークレット、署名鍵）を鍵 {key} で暗号化し直しました。',
  },
  en: {
    refused: 'Key rotation refused: these serving processes do not hold the new key {key}; after a rotation they could not read customers\' one-time password secrets or the OpenID Connect client secrets:',
    restartFirst: 'Restart them with MAMORI_SECRET_KEY={key} (the new key) and MAMORI_OLD_SECRET_KEYS (the old one), then run this again. A process that has stopped leaves this list after {seconds} seconds. To rotate now anyway, add --force.',
    forced: 'Warning: these serving processes do not hold the new key {key}; restart them now with MAMORI_SECRET_KEY={key}:',
    process: '  - process {pid} on {host}, started {started}, keys {keys}',
    done: 're-encrypted {count} TOTP secret(s) under key {key}, and {oidc} OpenID Connect secret(s) (client secrets, signing keys)',
  },
} as const;

const fill = (text: string, vars: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
const listed = (lang: CliLanguage, ps: ServingProcess[]) => ps.map((p) => fill(SAY[lang].process, { pid: p.pid, host: p.host, started: p.startedAt.toISOString(), keys: p.keyIds.join(', ') }));

export function keysRotateCommand(withRuntime: WithRuntime): Command {
  return {
    words: ['keys', 'rotate'],
    arguments: [],
    options: {},
    flags: { force: 'rotate even while a serving process lacks the new key (then restart it at once)' },
    summary: 're-encrypt every sealed secret (TOTP, OpenID Connect) under MAMORI_SECRET_KEY (old keys in MAMORI_OLD_SECRET_KEYS); refuses while a server lacks the new key',
    async run({ config, options, lang = 'en' }) {
      const key = config.secretKey.id;
      const say = SAY[lang];
      const force = options.force === 'true';
      const outcome = await withRuntime(config, async (rt) => {
        const lacking = await rt.services.servingProcesses.withoutKey(key);
        if (lacking.length && !force) return { lacking, count: null };
        return { lacking, count: await rt.services.sealedSecrets.resealAll((sealed) => rt.secretBox.needsReseal(sealed)) };
      });
      if (outcome.count === null) {
        process.stderr.write([fill(say.refused, { key }), ...listed(lang, outcome.lacking), fill(say.restartFirst, { key, seconds: LIVE_FOR_MS / 1000 })].join('\n') + '\n');
        return 1;
      }
      if (outcome.lacking.length) process.stderr.write([fill(say.forced, { key }), ...listed(lang, outcome.lacking)].join('\n') + '\n');
      process.stdout.write(fill(say.done, { count: outcome.count.totp, oidc: outcome.count.oidc, key }) + '\n');
      return 0;
    },
  };
}
