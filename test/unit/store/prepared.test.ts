/**
 * The login path's statements are compiled once and run with new values (src/store/prepared.ts):
 * the values land in their places, in and out of transactions, a list's length picks its own
 * statement, a missing value is refused rather than sent as NULL, and the SQL is what Kysely
 * builds for the same query. The login's read of past places is index-only (migration 0024).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { listSlots, listValues, perNumber, prepared, type ListSlots } from '../../../src/store/prepared';
import { openSqliteStore } from '../../../src/store/sqlite';
import type { KyselyStore } from '../../../src/store/kysely-store';

const dir = mkdtempSync(join(tmpdir(), 'mamori-prepared-'));
let store: KyselyStore;
const path = join(dir, 'p.db');

before(async () => {
  store = openSqliteStore(path, { checkpointer: false });
  await store.migrate();
  const now = Date.now();
  for (const [id, loginId] of [
    [1, 'u1'],
    [2, 'u2'],
    [3, 'u3'],
  ] as const) {
    await store.db
      .insertInto('accounts')
      .values({ id, login_id: loginId, name: `n${id}`, login_password_hash: 'x', trading_password_hash: 'y', trading_password_failures: 0, password_changed_at: now, created_at: now, updated_at: now })
      .execute();
  }
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const byLoginId = prepared((db, $: { loginId: string }) => db.selectFrom('accounts').select(['id', 'login_id']).where('login_id', '=', $.loginId));

describe('prepared statements', () => {
  it('put each run’s values in the slots, in and out of a transaction', async () => {
    assert.equal((await byLoginId.first(store.db, { loginId: 'u2' }))?.id, 2);
    assert.equal((await byLoginId.first(store.db, { loginId: 'u3' }))?.id, 3);
    assert.equal(await byLoginId.first(store.db, { loginId: 'nobody' }), undefined);
    const inTx = await store.db.transaction().execute((tx) => byLoginId.first(tx, { loginId: 'u1' }));
    assert.equal(inTx?.id, 1);
  });

  it('compile to the SQL Kysely builds for the same query, constants kept', async () => {
    const withConstant = prepared((db, $: { id: number }) => db.selectFrom('accounts').select('login_id').where('id', '>', $.id).where('name', '!=', 'n3').orderBy('id'));
    assert.deepEqual((await withConstant.execute(store.db, { id: 1 })).map((r) => r.login_id), ['u2']);
    const built = store.db.selectFrom('accounts').select('login_id').where('id', '>', 1).where('name', '!=', 'n3').orderBy('id').compile();
    const seen: string[] = [];
    const spy = { ...store.db, executeQuery: (q: { sql: string }) => (seen.push(q.sql), store.db.executeQuery(q as never)), getExecutor: () => store.db.getExecutor() };
    await withConstant.execute(spy as never, { id: 1 });
    assert.deepEqual(seen, [built.sql]);
  });

  it('use a slot as often as the query names it', async () => {
    const twice = prepared((db, $: { loginId: string }) => db.selectFrom('accounts').select('id').where('login_id', '=', $.loginId).where('name', '!=', $.loginId));
    assert.equal((await twice.first(store.db, { loginId: 'u1' }))?.id, 1);
  });

  it('take a statement per length of a list', async () => {
    const made: number[] = [];
    const ofIds = perNumber((n) => {
      made.push(n);
      return prepared((db, $: ListSlots) => db.selectFrom('accounts').select('login_id').where('login_id', 'in', listSlots(n, $)).orderBy('id'));
    });
    const run = (ids: string[]) => ofIds(ids.length).execute(store.db, listValues(ids));
    assert.deepEqual((await run(['u1', 'u3'])).map((r) => r.login_id), ['u1', 'u3']);
    assert.deepEqual((await run(['u2'])).map((r) => r.login_id), ['u2']);
    assert.deepEqual((await run(['u3', 'u2'])).map((r) => r.login_id), ['u2', 'u3']);
    assert.deepEqual(made, [2, 1]);
  });

  it('refuse a run without a value for a slot (better-sqlite3 would refuse it, pg would send NULL)', async () => {
    await assert.rejects(byLoginId.first(store.db, {} as { loginId: string }), /no value for loginId/);
  });
});

describe('the login’s read of past places', () => {
  it('is index-only and gives the newest first', async () => {
    for (let i = 0; i < 150; i++) {
      await store.audit.append({ at: new Date(1_700_000_000_000 + i), type: i % 3 ? 'login.succeeded' : 'login.failed', accountId: 1, loginId: 'u1', ip: `192.0.2.${i % 250}`, userAgent: 'ua', operator: null, detail: {} });
    }
    const places = await store.audit.listPlaces(1, 'login.succeeded', 100);
    assert.equal(places.length, 100);
    assert.equal(places[0]!.at.getTime(), 1_700_000_000_149);
    assert.equal(places[0]!.ip, '192.0.2.149');
    const raw = new BetterSqlite3(path, { readonly: true });
    const plan = raw
      .prepare('EXPLAIN QUERY PLAN SELECT "at", "ip" FROM "audit_events" WHERE "account_id" = ? AND "type" = ? ORDER BY "id" DESC LIMIT ?')
      .all(1, 'login.succeeded', 100) as { detail: string }[];
    raw.close();
    assert.match(plan.map((p) => p.detail).join(' '), /USING COVERING INDEX audit_events_account_type_place/);
  });
});

describe('LIMIT on SQLite', () => {
  it('is written into the SQL when it is a whole number, so the cached statement is not compiled again at every bind', () => {
    const q = store.db.selectFrom('accounts').select('id').orderBy('id', 'desc').limit(2).compile();
    assert.match(q.sql, / limit 2$/);
    assert.deepEqual(q.parameters, []);
  });

  it('stays a bound parameter for anything else: no value reaches the SQL text', () => {
    for (const odd of [2.5, '1; drop table accounts', Number.MAX_SAFE_INTEGER + 2]) {
      const q = store.db.selectFrom('accounts').select('id').limit(odd as number).compile();
      assert.match(q.sql, / limit \?$/);
      assert.deepEqual(q.parameters, [odd]);
    }
  });

  it('still limits, in a prepared statement per limit and in a plain query', async () => {
    assert.deepEqual((await store.db.selectFrom('accounts').select('id').orderBy('id', 'desc').limit(2).execute()).map((r) => r.id), [3, 2]);
    const firstN = perNumber((n) => prepared((db, $: { above: number }) => db.selectFrom('accounts').select('id').where('id', '>', $.above).orderBy('id').limit(n)));
    assert.deepEqual((await firstN(1).execute(store.db, { above: 0 })).map((r) => r.id), [1]);
    assert.deepEqual((await firstN(2).execute(store.db, { above: 1 })).map((r) => r.id), [2, 3]);
  });
});

describe('the sessions table after migration 0025', () => {
  it('has no index of its own for the recognised browser; ending a browser’s sessions goes by the account index', () => {
    const raw = new BetterSqlite3(path, { readonly: true });
    const indexes = (raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'sessions' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    const q = store.db.updateTable('sessions').set({ ended_at: 1 }).where('account_id', '=', 1).where('recognized_device_id', '=', 2).where('ended_at', 'is', null).compile();
    const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.parameters) as { detail: string }[]).map((p) => p.detail).join(' ');
    raw.close();
    assert.deepEqual(indexes, ['sessions_absolute_expires', 'sessions_account', 'sqlite_autoindex_sessions_1']);
    assert.match(plan, /USING INDEX sessions_account/);
  });
});
