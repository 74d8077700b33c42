/**
 * Bad input, generated (fast-check): every form and API field gets oversized, malformed, control-
 * character, wrongly typed, missing and duplicated values, and raw bodies that are not valid JSON
 * or UTF-8. Never a 5xx, never a stack trace, always a clear message, and nothing changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startHarness, type AccountSeed, type Harness, type TestBrowser } from '../support/harness';
import { storeKind } from '../support/test-store';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

/** Values a careless client, a fuzzer or an attacker sends. */
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 10 }),
  fc.constantFrom('', ' ', '１２３４５６', '０', '\u0000', '\uFEFF', '\uD800', 'a'.repeat(5000), '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '%00', 'on', 'off'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** A body with these fields, each given a generated value or left out. */
const bodyOf = (fields: string[]) => fc.record(Object.fromEntries(fields.map((f) => [f, value])), { requiredKeys: [] });

/** Raw payloads that are not JSON or not UTF-8 at all. */
const raw = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.constantFrom(Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('{"loginId": "a", '), Buffer.from('[1,2,3]'), Buffer.from('null'), Buffer.from('"x"'), Buffer.from('x'.repeat(40_000))),
);

function formPayload(body: Record<string, unknown>, csrf: string): string {
  const p = new URLSearchParams();
  p.append('_csrf', csrf);
  for (const [k, v] of Object.entries(body)) {
    // Arrays become duplicated parameters (a=1&a=2); objects and the rest their string forms.
    if (Array.isArray(v)) for (const x of v) p.append(k, String(x));
    else p.append(k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
  }
  return p.toString();
}

describe(`generated bad input (${storeKind})`, () => {
  let h: Harness;
  let a: AccountSeed;
  let b: TestBrowser;
  let csrf = '';

  before(async () => {
    h = await startHarness({ THROTTLE_IP_LOCK_AFTER: '100000', THROTTLE_ACCOUNT_LOCK_AFTER: '1000' });
    a = await h.createAccount({ emails: ['jimu.fuzz@example.com', 'second.fuzz@example.com'] });
    b = await h.signedIn(a);
    const page = await b.get('/account/emails/1/notification');
    csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  });
  after(async () => h.close());

  /** What must not change, whatever is sent (failure counters are allowed to count). */
  async function snapshot() {
    const acc = (await h.runtime.store.accounts.findByLoginId(a.loginId))!;
    const { tradingPasswordLockedAt: _l, ...stable } = acc;
    return JSON.stringify({
      stable,
      emails: await h.runtime.store.emails.listForAccount(acc.id),
      pending: await h.runtime.store.addressChanges.listForAccount(acc.id),
      passkeys: await h.runtime.store.passkeys.listForAccount(acc.id),
      devices: (await h.runtime.store.devices.listForAccount(acc.id)).map((d) => [d.id, d.revokedAt]),
    });
  }

  const seen = new Map<string, Set<string>>();
  function assertClear(res: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string) {
    const url = what.split(' ')[0]!;
    const codes = seen.get(url) ?? new Set<string>();
    seen.set(url, codes);
    codes.add(String(res.headers['content-type']).includes('json') ? (JSON.parse(res.body).error?.code ?? String(res.statusCode)) : String(res.statusCode));
    assert.ok(res.statusCode < 500, `${what} → ${res.statusCode}: ${res.body.slice(0, 200)}`);
    assert.doesNotMatch(res.body, /\bat .+\.(ts|js):\d+|TypeError|ReferenceError|SqliteError|error: relation/, `${what}: no stack trace or internals`);
    if (res.statusCode < 400) return;
    if (String(res.headers['content-type']).includes('json')) {
      const e = JSON.parse(res.body).error;
      assert.ok(typeof e?.code === 'string' && typeof e?.message === 'string' && e.message.length > 0, `${what}: a JSON error with a message`);
    } else {
      assert.match(res.body, /role="alert"/, `${what}: the page says what is wrong`);
    }
  }

  const api: [string, string[]][] = [
    ['/api/v1/login', ['loginId', 'password', 'deviceToken']],
    ['/api/v1/login/code', ['flowId', 'code']],
    ['/api/v1/login/code/resend', ['flowId']],
    ['/api/v1/login/totp', ['flowId', 'code']],
    ['/login/passkey/verify', ['challengeId', 'credential']],
  ];
  for (const [url, fields] of api) {
    it(`API ${url}`, async () => {
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(fc.oneof(bodyOf(fields).map((x) => JSON.stringify(x)), raw), async (payload) => {
          const res = await h.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', origin: 'http://localhost:3000', 'x-csrf-token': csrf, cookie: b.jar.header() } });
          assertClear(res, `${url} ${String(payload).slice(0, 80)}`);
        }),
        { numRuns: RUNS },
      );
      assert.equal(await snapshot(), before, 'nothing changed');
      // The generated bodies reached the handler, not only the CSRF and parsing guards.
      assert.ok([...(seen.get(url) ?? [])].some((c) => c === 'invalid_input'), `${url}: ${[...(seen.get(url) ?? [])]}`);
    });
  }

  const forms: [string, string[]][] = [
    ['/login', ['loginId', 'password']],
    ['/login/code', ['code']],
    ['/account/emails/3/change/confirm', ['address', 'addressConfirmation']],
    ['/account/emails/3/change', ['address', 'tradingPassword']],
    ['/account/emails/1/change/code', ['address']],
    ['/account/emails/1/change', ['address', 'tradingPassword', 'confirmationCode']],
    ['/account/emails/2/verify', ['code']],
    ['/account/emails/2/remove', ['tradingPassword', 'confirmationCode']],
    ['/account/emails/1/notification/confirm', ['loginNotification']],
    ['/account/emails/1/notification', ['loginNotification', 'tradingPassword']],
    ['/account/password', ['currentPassword', 'newPassword', 'newPasswordConfirmation', 'tradingPassword']],
    ['/account/trading-password', ['currentPassword', 'newPassword', 'newPasswordConfirmation']],
    ['/account/totp/apply', ['tradingPassword', 'confirmationCode']],
    ['/account/totp/stop', ['tradingPassword', 'confirmationCode']],
    ['/account/totp/verify', ['code']],
    ['/account/totp/reregister', ['tradingPassword', 'confirmationCode']],
    ['/account/totp/recovery-codes', ['tradingPassword', 'confirmationCode']],
    ['/account/passkeys/1/delete', ['tradingPassword', 'confirmationCode']],
    ['/account/passkeys/1/rename', ['name']],
  ];
  for (const [url, fields] of forms) {
    it(`form ${url}`, async () => {
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: bodyOf(fields).map((x) => formPayload(x, csrf)) }, { weight: 1, arbitrary: raw }), async (payload) => {
          const res = await h.app.inject({
            method: 'POST',
            url,
            payload,
            headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:3000', cookie: b.jar.header() },
          });
          // A page post that lost its session or flow is sent to the login page: also not an error.
          if (res.statusCode === 303) return;
          assertClear(res, `${url} ${String(payload).slice(0, 80)}`);
        }),
        { numRuns: RUNS },
      );
      assert.equal(await snapshot(), before, 'nothing changed');
      assert.ok([...(seen.get(url) ?? [])].some((c) => ['400', '401', '404', '409', '423'].includes(c)), `${url} reached its handler: ${[...(seen.get(url) ?? [])]}`);
    });
  }
});
