/**
 * The last enabled supervisor stays, whatever races it: two processes each disable one of the last
 * two supervisors at the same moment. A conditional update alone let both through on PostgreSQL
 * (each statement saw the other supervisor still enabled, under READ COMMITTED); the store's lock
 * (`tx.locks.hold`) makes the second wait for the first and then see it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

interface Disabler {
  child: ChildProcessWithoutNullStreams;
  next(): Promise<string>;
}

function startDisabler(env: NodeJS.ProcessEnv): Disabler {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/operator-disabler.ts'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  process.once('exit', () => child.kill('SIGKILL'));
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  const rl: Interface = createInterface({ input: child.stdout });
  rl.on('line', (l) => (waiting.length ? waiting.shift()!(l) : lines.push(l)));
  return { child, next: () => (lines.length ? Promise.resolve(lines.shift()!) : new Promise((r) => waiting.push(r))) };
}

describe(`the last supervisor under concurrent disables on two processes (${storeKind})`, () => {
  let h: Harness;
  let p1: Disabler;
  let p2: Disabler;
  before(async () => {
    const key = randomBytes(32).toString('hex');
    h = await startHarness({ MAMORI_SECRET_KEY: key });
    const env = { ...process.env, DATABASE_URL: h.db.url, MAMORI_SECRET_KEY: key, NODE_ENV: 'test', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' };
    [p1, p2] = [startDisabler(env), startDisabler(env)];
    assert.deepEqual(await Promise.all([p1.next(), p2.next()]), ['ready', 'ready']);
  });
  after(async () => {
    for (const p of [p1, p2]) p?.child.stdin.end('quit\n');
    await h.close();
  });

  it('of two simultaneous disables of the last two supervisors exactly one wins, round after round', async () => {
    const { operators } = h.runtime.services.desk;
    let leftover: string | null = null;
    for (let round = 0; round < 12; round++) {
      const [x, y] = [`sup${round}x`, `sup${round}y`];
      await operators.add(x, 'supervisor', 'test');
      await operators.add(y, 'supervisor', 'test');
      if (leftover) await operators.disable(leftover, 'test');
      p1.child.stdin.write(`disable ${x}\n`);
      p2.child.stdin.write(`disable ${y}\n`);
      const answers = await Promise.all([p1.next(), p2.next()]);
      const enabled = (await operators.list()).filter((o) => o.role === 'supervisor' && !o.disabledAt).map((o) => o.name);
      assert.equal(enabled.length, 1, `round ${round}: ${answers.join(', ')}; enabled: ${enabled.join(', ')}`);
      assert.equal(answers.filter((a) => a.startsWith('ok ')).length, 1, answers.join(', '));
      assert.equal(answers.filter((a) => a.startsWith('refused ')).length, 1, answers.join(', '));
      leftover = enabled[0]!;
    }
  });
});
