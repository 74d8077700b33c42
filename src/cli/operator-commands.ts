/**
 * The support desk's operators (docs/operations.md, "The support desk's console"): `operators add`
 * prints the one-time enrolment link, `operators enrol` a fresh one, `operators list`,
 * `operators disable`, and the operators' support-API keys. Answers come from answers.ts; a
 * failure goes up to main.ts, whose sentences for these commands are keyed by the command
 * (messages.ts), in the operator's language.
 */
import type { Config } from '../config';
import type { Runtime } from '../composition/open-runtime';
import { OPERATOR_ROLES, type Operator } from '../domain/desk/records';
import { ENROLMENT_TTL_MS } from '../domain/desk/operator-service';
import { UsageError } from './command-line';
import type { Command } from './commands';
import type { CliLanguage } from './messages';
import { answer } from './answers';

type WithRuntime = <T>(config: Config, fn: (rt: Runtime) => Promise<T>) => Promise<T>;
const NAME = { name: 'NAME' };

/** `add` and `enrol` hand over the same kind of link: what it is for, how long it works, then the link alone on its line. */
function printEnrolmentLink(lang: CliLanguage, config: Config, key: 'operators.added' | 'operators.reissued', issued: { operator: Operator; token: string; expiresAt: Date }): void {
  const { name, role } = issued.operator;
  const head = answer(lang, key, { name, role: answer(lang, `role.${role}`), minutes: ENROLMENT_TTL_MS / 60_000, until: issued.expiresAt.toISOString() });
  process.stdout.write(`${head}\n${config.desk.publicUrl}/support/enrol?token=${issued.token}\n`);
}

const created = (lang: CliLanguage, at: Date, by: string) => answer(lang, 'line.created', { at: at.toISOString(), by });

export function operatorCommands(withRuntime: WithRuntime, actor: (env: NodeJS.ProcessEnv) => string): Command[] {
  return [
    {
      words: ['operators', 'add'],
      arguments: [NAME],
      options: { role: 'viewer|operator|supervisor' },
      summary: 'create a support-desk operator and print a one-time enrolment link for their passkey (valid once, 15 minutes)',
      async run({ config, args, options, env, usage, lang = 'en' }) {
        if (!(OPERATOR_ROLES as readonly string[]).includes(options.role!)) throw new UsageError('roleUnknown', usage);
        const added = await withRuntime(config, (rt) => rt.services.desk.operators.add(args[0], options.role, actor(env)));
        printEnrolmentLink(lang, config, 'operators.added', added);
        return 0;
      },
    },
    {
      words: ['operators', 'enrol'],
      arguments: [NAME],
      options: {},
      summary: 'issue a fresh one-time enrolment link for an operator (lost passkey, expired link); earlier unused links stop working',
      async run({ config, args, env, lang = 'en' }) {
        const issued = await withRuntime(config, (rt) => rt.services.desk.operators.reissueEnrolment(args[0], actor(env)));
        printEnrolmentLink(lang, config, 'operators.reissued', issued);
        return 0;
      },
    },
    {
      words: ['operators', 'api-keys', 'add'],
      arguments: [NAME],
      options: { label: 'TEXT' },
      optional: ['label'],
      summary: "create a support-API key for an operator, acting with the operator's role; printed once, only its keyed hash is kept",
      async run({ config, args, options, env, lang = 'en' }) {
        const added = await withRuntime(config, (rt) => rt.services.desk.apiKeys.add(args[0], options.label, actor(env)));
        process.stdout.write(`${answer(lang, 'apiKeys.added', { publicId: added.record.publicId, id: added.record.id, name: added.operatorName })}\n${added.key}\n`);
        return 0;
      },
    },
    {
      words: ['operators', 'api-keys', 'list'],
      arguments: [{ name: '[NAME]', optional: true }],
      options: {},
      summary: "list the support-API keys (all, or one operator's): number, public id, operator, label, created, last used, revoked",
      async run({ config, args, lang = 'en' }) {
        const keys = await withRuntime(config, (rt) => rt.services.desk.apiKeys.list(args[0]));
        if (!keys.length) process.stdout.write(answer(lang, 'apiKeys.none') + '\n');
        for (const k of keys) {
          const used = k.lastUsedAt ? answer(lang, 'apiKeys.line.lastUsed', { at: k.lastUsedAt.toISOString() }) : answer(lang, 'apiKeys.line.neverUsed');
          const state = k.revokedAt ? answer(lang, 'apiKeys.line.revoked', { at: k.revokedAt.toISOString() }) : answer(lang, 'apiKeys.line.active');
          process.stdout.write([k.id, k.publicId, k.operatorName, k.label || '-', created(lang, k.createdAt, k.createdBy), used, state].join('\t') + '\n');
        }
        return 0;
      },
    },
    {
      words: ['operators', 'api-keys', 'revoke'],
      arguments: [{ name: 'ID' }],
      options: {},
      summary: 'revoke a support-API key by its number or public id; every process refuses it from the next call',
      async run({ config, args, env, lang = 'en' }) {
        const k = await withRuntime(config, (rt) => rt.services.desk.apiKeys.revoke(args[0], actor(env)));
        process.stdout.write(answer(lang, 'apiKeys.revoked', { publicId: k.publicId, name: k.operatorName }) + '\n');
        return 0;
      },
    },
    {
      words: ['operators', 'list'],
      arguments: [],
      options: {},
      summary: 'list the support-desk operators, their roles and whether they are disabled',
      async run({ config, lang = 'en' }) {
        const list = await withRuntime(config, (rt) => rt.services.desk.operators.list());
        if (!list.length) process.stdout.write(answer(lang, 'operators.none') + '\n');
        for (const o of list) {
          // The role stays the word --role takes, a column scripts read.
          const state = o.disabledAt ? answer(lang, 'operators.line.disabled', { at: o.disabledAt.toISOString() }) : answer(lang, 'operators.line.enabled');
          process.stdout.write([o.name, o.role, state, created(lang, o.createdAt, o.createdBy)].join('\t') + '\n');
        }
        return 0;
      },
    },
    {
      words: ['operators', 'disable'],
      arguments: [NAME],
      options: {},
      summary: 'disable an operator and end their console sessions (the last enabled supervisor cannot be disabled)',
      async run({ config, args, env, lang = 'en' }) {
        const o = await withRuntime(config, (rt) => rt.services.desk.operators.disable(args[0], actor(env)));
        process.stdout.write(answer(lang, 'operators.disabled', { name: o.name }) + '\n');
        return 0;
      },
    },
  ];
}
