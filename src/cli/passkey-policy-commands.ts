/**
 * The phishing-resistant migration's commands (docs/configuration.md): the announcement mail,
 * and the support desk's exemptions. Each prints what it did in a sentence.
 */
import type { Config } from '../config';
import type { Runtime } from '../composition/open-runtime';
import type { ListedExemption } from '../domain/passkey-policy/records';
import type { Command } from './commands';

const LOGIN_ID = { name: 'LOGIN_ID' };
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const jstDay = (d: Date) => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
/** The last JST day an exemption applies (it ends at 00:00 JST the day after). */
const lastDay = (until: Date) => jstDay(new Date(until.getTime() - 1));

function exemptionLine(e: ListedExemption, now: Date): string {
  const state = e.revokedAt ? `revoked ${jstDay(e.revokedAt)} by ${e.revokedBy}` : e.expiresAt <= now ? 'expired' : 'in force';
  return `${e.loginId}\tuntil ${lastDay(e.expiresAt)}\t${state}\tgranted ${jstDay(e.createdAt)} by ${e.operator}\t${e.reason}`;
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
      async run({ config, options, env }) {
        const dryRun = options['dry-run'] === 'true';
        const t = await withRuntime(config, (rt) => rt.services.passkeyAnnouncement.run({ dryRun, by: actor(env) }));
        const customers = plural(t.customers, 'customer', 'customers');
        const mails = plural(t.mails, 'mail', 'mails');
        const lead = dryRun ? `Dry run: the announcement would go to ${customers} without a passkey (${mails})` : `The announcement was queued for ${customers} without a passkey (${mails}; the server's mail worker sends them)`;
        const skipped = t.withoutAddress ? `; ${plural(t.withoutAddress, 'customer has', 'customers have')} no verified address and ${t.withoutAddress === 1 ? 'was' : 'were'} skipped` : '';
        process.stdout.write(`${lead}${skipped}. Customers mailed by an earlier run are not mailed again.\n`);
        return 0;
      },
    },
    {
      words: ['exemptions', 'add'],
      arguments: [LOGIN_ID],
      options: { reason: 'TEXT', operator: 'NAME', until: 'YYYY-MM-DD' },
      summary: 'exempt a customer from registering a passkey up to and including a JST day (audited, mailed)',
      async run({ config, args, options }) {
        const e = await withRuntime(config, (rt) => rt.services.passkeyExemptions.grant(args[0]!, { until: options.until, operator: options.operator, reason: options.reason }));
        process.stdout.write(`${args[0]} is exempted from registering a passkey until ${lastDay(e.expiresAt)} (JST); the customer has been mailed\n`);
        return 0;
      },
    },
    {
      words: ['exemptions', 'list'],
      arguments: [],
      options: {},
      flags: { all: 'include expired and revoked exemptions' },
      summary: 'list the exemptions in force (or all, newest first)',
      async run({ config, options }) {
        const all = options.all === 'true';
        const [list, now] = await withRuntime(config, async (rt) => [await rt.services.passkeyExemptions.list({ all }), rt.services.ports.clock.now()] as const);
        for (const e of list) process.stdout.write(exemptionLine(e, now) + '\n');
        process.stdout.write(`${plural(list.length, 'exemption', 'exemptions')}${all ? '' : ' in force'}\n`);
        return 0;
      },
    },
    {
      words: ['exemptions', 'revoke'],
      arguments: [LOGIN_ID],
      options: { reason: 'TEXT', operator: 'NAME' },
      summary: "end a customer's exemption: a passkey is required at the next login (audited, mailed)",
      async run({ config, args, options }) {
        await withRuntime(config, (rt) => rt.services.passkeyExemptions.revoke(args[0]!, { operator: options.operator, reason: options.reason }));
        process.stdout.write(`the exemption of ${args[0]} is revoked; the customer has been mailed\n`);
        return 0;
      },
    },
  ];
}
