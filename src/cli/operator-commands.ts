/**
 * The support desk's operators (docs/operations.md, "The support desk's console"): `operators add`
 * prints the one-time enrolment link, `operators enrol` a fresh one, `operators list`,
 * `operators disable`, and the operators' support-API keys. Sentences, not codes.
 */
import type { Config } from '../config';
import type { Runtime } from '../composition/open-runtime';
import { DomainError } from '../domain/errors';
import { ENROLMENT_TTL_MS } from '../domain/desk/operator-service';
import { UsageError } from './command-line';
import type { Command } from './commands';

type WithRuntime = <T>(config: Config, fn: (rt: Runtime) => Promise<T>) => Promise<T>;
const NAME = { name: 'NAME' };

export function operatorCommands(withRuntime: WithRuntime, actor: (env: NodeJS.ProcessEnv) => string): Command[] {
  return [
    {
      words: ['operators', 'add'],
      arguments: [NAME],
      options: { role: 'viewer|operator|supervisor' },
      summary: 'create a support-desk operator and print a one-time enrolment link for their passkey (valid once, 15 minutes)',
      async run({ config, args, options, env, usage }) {
        if (!['viewer', 'operator', 'supervisor'].includes(options.role!)) throw new UsageError('--role must be viewer, operator or supervisor', usage);
        try {
          const added = await withRuntime(config, (rt) => rt.services.desk.operators.add(args[0], options.role, actor(env)));
          const url = `${config.desk.publicUrl}/support/enrol?token=${added.token}`;
          process.stdout.write(`Operator ${added.operator.name} (${added.operator.role}) was created.\nGive them this link; it works once, for ${ENROLMENT_TTL_MS / 60_000} minutes (until ${added.expiresAt.toISOString()}), to register their passkey:\n${url}\n`);
          return 0;
        } catch (e) {
          if (e instanceof DomainError && e.code === 'conflict') return fail(`An operator named ${args[0]} already exists.`);
          if (e instanceof DomainError && e.code === 'invalid_input') return fail('An operator name is 1 to 40 letters, digits, dots, hyphens or underscores.');
          throw e;
        }
      },
    },
    {
      words: ['operators', 'enrol'],
      arguments: [NAME],
      options: {},
      summary: 'issue a fresh one-time enrolment link for an operator (lost passkey, expired link); earlier unused links stop working',
      async run({ config, args, env }) {
        try {
          const issued = await withRuntime(config, (rt) => rt.services.desk.operators.reissueEnrolment(args[0], actor(env)));
          const url = `${config.desk.publicUrl}/support/enrol?token=${issued.token}`;
          process.stdout.write(`A new enrolment link for ${issued.operator.name} (${issued.operator.role}); earlier unused links no longer work.\nIt works once, for ${ENROLMENT_TTL_MS / 60_000} minutes (until ${issued.expiresAt.toISOString()}):\n${url}\n`);
          return 0;
        } catch (e) {
          if (e instanceof DomainError && e.code === 'desk_denied') return fail(`${args[0]} is disabled; a disabled operator cannot enrol.`);
          if (e instanceof DomainError && (e.code === 'not_found' || e.code === 'invalid_input')) return fail(`There is no operator named ${args[0]}.`);
          throw e;
        }
      },
    },
    {
      words: ['operators', 'api-keys', 'add'],
      arguments: [NAME],
      options: { label: 'TEXT' },
      optional: ['label'],
      summary: "create a support-API key for an operator, acting with the operator's role; printed once, only its keyed hash is kept",
      async run({ config, args, options, env }) {
        try {
          const added = await withRuntime(config, (rt) => rt.services.desk.apiKeys.add(args[0], options.label, actor(env)));
          process.stdout.write(`Key ${added.record.publicId} (number ${added.record.id}) for ${added.operatorName} was created. It is shown only now; store it in the tool's secret store:\n${added.key}\n`);
          return 0;
        } catch (e) {
          if (e instanceof DomainError && e.code === 'desk_denied') return fail(`${args[0]} is disabled; a disabled operator gets no key.`);
          if (e instanceof DomainError && e.code === 'not_found') return fail(`There is no operator named ${args[0]}. Create one first: mamori operators add NAME --role viewer|operator|supervisor`);
          if (e instanceof DomainError && e.code === 'invalid_input') return fail('A label is at most 80 characters.');
          throw e;
        }
      },
    },
    {
      words: ['operators', 'api-keys', 'list'],
      arguments: [{ name: '[NAME]', optional: true }],
      options: {},
      summary: "list the support-API keys (all, or one operator's): number, public id, operator, label, created, last used, revoked",
      async run({ config, args }) {
        try {
          const keys = await withRuntime(config, (rt) => rt.services.desk.apiKeys.list(args[0]));
          if (!keys.length) process.stdout.write('There are no support-API keys. Create one with: mamori operators api-keys add NAME\n');
          for (const k of keys) {
            const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
            process.stdout.write(`${k.id}\t${k.publicId}\t${k.operatorName}\t${k.label || '-'}\tcreated ${k.createdAt.toISOString()} by ${k.createdBy}\t${k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : 'never used'}\t${state}\n`);
          }
          return 0;
        } catch (e) {
          if (e instanceof DomainError && e.code === 'not_found') return fail(`There is no operator named ${args[0]}.`);
          throw e;
        }
      },
    },
    {
      words: ['operators', 'api-keys', 'revoke'],
      arguments: [{ name: 'ID' }],
      options: {},
      summary: 'revoke a support-API key by its number or public id; every process refuses it from the next call',
      async run({ config, args, env }) {
        try {
          const k = await withRuntime(config, (rt) => rt.services.desk.apiKeys.revoke(args[0], actor(env)));
          process.stdout.write(`Key ${k.publicId} of ${k.operatorName} is revoked.\n`);
          return 0;
        } catch (e) {
          if (e instanceof DomainError && e.code === 'not_found') return fail(`There is no key ${args[0]}. List them with: mamori operators api-keys list`);
          if (e instanceof DomainError && e.code === 'flow_state') return fail(`Key ${args[0]} was already revoked.`);
          throw e;
        }
      },
    },
    {
      words: ['operators', 'list'],
      arguments: [],
      options: {},
      summary: 'list the support-desk operators, their roles and whether they are disabled',
      async run({ config }) {
        const list = await withRuntime(config, (rt) => rt.services.desk.operators.list());
        if (!list.length) process.stdout.write('There are no operators yet. Create one with: mamori operators add NAME --role supervisor\n');
        for (const o of list) process.stdout.write(`${o.name}\t${o.role}\t${o.disabledAt ? `disabled ${o.disabledAt.toISOString()}` : 'enabled'}\tcreated ${o.createdAt.toISOString()} by ${o.createdBy}\n`);
        return 0;
      },
    },
    {
      words: ['operators', 'disable'],
      arguments: [NAME],
      options: {},
      summary: 'disable an operator and end their console sessions (the last enabled supervisor cannot be disabled)',
      async run({ config, args, env }) {
        try {
          const o = await withRuntime(config, (rt) => rt.services.desk.operators.disable(args[0], actor(env)));
          process.stdout.write(`Operator ${o.name} is disabled; their console sessions have ended.\n`);
          return 0;
        } catch (e) {
          if (e instanceof DomainError && e.code === 'desk_denied') return fail(`${args[0]} is the last enabled supervisor and cannot be disabled: add another supervisor first (mamori operators add NAME --role supervisor).`);
          if (e instanceof DomainError && (e.code === 'not_found' || e.code === 'invalid_input')) return fail(`There is no operator named ${args[0]}.`);
          throw e;
        }
      },
    },
  ];
}

function fail(sentence: string): number {
  process.stderr.write(`mamori: ${sentence}\n`);
  return 1;
}
