/**
 * A failed login takes the same time whatever the login ID is: unknown, an argon2id account, or
 * an account imported with its old bcrypt hash through the real import path (issue 14: bcrypt-10
 * took 96 ms against 25 ms for an unknown ID, so an attacker could list imported customers).
 * Distributions, not single requests: the medians of 200 failures of each, interleaved in
 * rotating order, must lie within 15 % of each other.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { startHarness, type Harness } from '../support/harness';
import { storeKind } from '../support/test-store';

const ROUNDS = 200;
/** Spread over a few IDs of each kind, so no attempt limit turns a failure into a quick refusal. */
const IDS_PER_KIND = 4;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

describe(`failed logins take as long for unknown, argon2id and imported bcrypt accounts (${storeKind})`, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ THROTTLE_ACCOUNT_LOCK_AFTER: '1000', THROTTLE_ACCOUNT_SLOWDOWN_AFTER: '100', THROTTLE_IP_LOCK_AFTER: '100000' });
  });
  after(async () => h.close());

  it('medians of 200 wrong passwords each are within 15 %', async () => {
    const argon2 = [];
    for (let i = 0; i < IDS_PER_KIND; i++) argon2.push((await h.createAccount()).loginId);
    const imported = Array.from({ length: IDS_PER_KIND }, (_, i) => ({
      loginId: `imported-bcrypt-${i}`,
      name: '桐生 三郎',
      emails: [`kiryu${i}@example.com`],
      // Cost 8 keeps 600 failures short on a shared machine; it is still several times slower
      // than the suite's argon2id, which is what the attack needs (the issue measured 10 and 12).
      loginPasswordHash: bcrypt.hashSync('the old password', 8),
      tradingPassword: 'an old trading password',
    }));
    const results = await h.runtime.services.accounts.import(imported, 'test');
    assert.deepEqual(results.map((r) => r.status), imported.map(() => 'created'));
    const kinds = {
      unknown: Array.from({ length: IDS_PER_KIND }, (_, i) => `nobody-here-${i}`),
      argon2id: argon2,
      bcrypt: imported.map((r) => r.loginId),
    };
    const names = Object.keys(kinds) as (keyof typeof kinds)[];
    const times: Record<keyof typeof kinds, number[]> = { unknown: [], argon2id: [], bcrypt: [] };

    const attempt = async (loginId: string) => {
      const start = performance.now();
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/login', payload: { loginId, password: 'not the password' } });
      const ms = performance.now() - start;
      assert.equal(res.statusCode, 401, res.body);
      return ms;
    };
    for (let round = 0; round < ROUNDS; round++) {
      // Each kind goes first, second and third in turn, so drift over the run hits all alike.
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length]!;
        const ids = kinds[name];
        times[name].push(await attempt(ids[round % ids.length]!));
      }
    }
    const medians = Object.fromEntries(names.map((n) => [n, Math.round(median(times[n]) * 10) / 10])) as Record<keyof typeof kinds, number>;
    console.log(`# medians of ${ROUNDS} failed logins (ms): ${JSON.stringify(medians)}`);
    const values = Object.values(medians);
    const spread = Math.max(...values) / Math.min(...values);
    assert.ok(spread < 1.15, `medians differ by ${((spread - 1) * 100).toFixed(0)} %: ${JSON.stringify(medians)}`);
  });
});
