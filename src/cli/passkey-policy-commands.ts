/**
 * The phishing-resistant migration's commands (docs/configuration.md): the announcement mail,
 * and the support desk's exemptions. Each prints what it did in a sentence.
 */
import type { Config } from '../config';
import type { Runtime } from '../composition/open-runtime';
import type { ListedExemption } from '../domain/passkey-policy/records';
import type { Command } from './commands';
import type { CliLanguage } from './messages';
import { answer, answerCount, mailedAnswer } from './answers';

const LOGIN_ID = { name: 'LOGIN_ID' };
const jstDay = (d: Date) => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
/** The last JST day an exemption applies (it ends at 00:00 JST the day after). */
const lastDay = (until: Date) => jstDay(new Date(until.getTime() - 1));

function exemptionLine(lang: CliLanguage, e: ListedExemption, now: Date): string {
  const state = e.revokedAt
    ? answer(lang, 'exemptions.line.revoked', { day: jstDay(e.revokedAt), by: e.revokedBy ?? '' })
    : answer(lang, e.expiresAt <= now ? 'exemptions.line.expired' : 'exemptions.line.inForce');
  const until = answer(lang, 'exemptions.line.until', { day: lastDay(e.expiresAt) });
  return [e.loginId, until, state, answer(lang, 'exemptions.line.granted', { day: jstDay(e.createdAt), by: e.operator }), e.reason].join('\t');
}

type WithRuntime = <T>(config: Config, fn: (rt: Runtime) => Promise<T>) => Promise<T>;

export function passkeyPolicyCommands(withRuntime: WithRuntime, actor: (env: NodeJS.ProcessEnv) => string): Command[] {
  return [
    {
      words: ['passkeys', 'announce'],
      arguments: [],
      options: {},
      flags: { 'dry-run': 'count who would be mailed, send nothing' },
      summary: 'mail every customer without a passkey the date passkeys become mandatory (once each; resumable)',
      async run({ config, options, env, lang = 'en' }) {
        const dryRun = options['dry-run'] === 'true';
        const t = await withRuntime(config, (rt) => rt.services.passkeyAnnouncement.run({ dryRun, by: actor(env) }));
        const counts = { customers: answerCount(lang, 'announce.customers', t.customers), mails: answerCount(lang, 'announce.mails', t.mails) };
        const lead = answer(lang, dryRun ? 'announce.dryRun' : 'announce.queued', counts);
        const skipped = t.withoutAddress ? answerCount(lang, 'announce.skipped', t.withoutAddress) : '';
        process.stdout.write(`${lead}${skipped}${answer(lang, 'announce.again')}\n`);
        return 0;
      },
    },
    {
      words: ['exemptions', 'add'],
      arguments: [LOGIN_ID],
      options: { reason: 'TEXT', operator: 'NAME', until: 'YYYY-MM-DD' },
      summary: 'exempt a customer from registering a passkey up to and including a JST day (audited, mailed)',
      async run({ config, args, options, lang = 'en' }) {
        const e = await withRuntime(config, (rt) => rt.services.passkeyExemptions.grant(args[0]!, { until: options.until, operator: options.operator, reason: options.reason }));
        process.stdout.write(mailedAnswer(lang, 'exemptions.granted', { loginId: args[0]!, until: lastDay(e.expiresAt) }) + '\n');
        return 0;
      },
    },
    {
      words: ['exemptions', 'list'],
      arguments: [],
      options: {},
      flags: { all: 'include expired and revoked exemptions' },
      summary: 'list the exemptions in force (or all, newest first)',
      async run({ config, options, lang = 'en' }) {
        const all = options.all === 'true';
        const [list, now] = await withRuntime(config, async (rt) => [await rt.services.passkeyExemptions.list({ all }), rt.services.ports.clock.now()] as const);
        for (const e of list) process.stdout.write(exemptionLine(lang, e, now) + '\n');
        process.stdout.write(answerCount(lang, all ? 'exemptions.all' : 'exemptions.inForce', list.length) + '\n');
        return 0;
      },
    },
    {
      words: ['exemptions', 'revoke'],
      arguments: [LOGIN_ID],
      options: { reason: 'TEXT', operator: 'NAME' },
      summary: "end a customer's exemption: a passkey is required at the next login (audited, mailed)",
      async run({ config, args, options, lang = 'en' }) {
        await withRuntime(config, (rt) => rt.services.passkeyExemptions.revoke(args[0]!, { operator: options.operator, reason: options.reason }));
        process.stdout.write(mailedAnswer(lang, 'exemptions.revoked', { loginId: args[0]! }) + '\n');
        return 0;
      },
    },
  ];
}
