/**
 * The OpenID Connect provider's storage over Kysely: the same SQL on SQLite and PostgreSQL, so a
 * code issued by one process is redeemed at another. Single use (a code, a rotated refresh token)
 * is oidc-provider's own check on `consumed`, written here by one update.
 */
import { sql } from 'kysely';
import type { OidcClientRepo, OidcModelRepo, OidcModelRow, OidcSessionLinkRepo, OidcSigningKeyRepo, OidcSubjectRepo } from '../../domain/oidc/repository';
import { date, dateOrNull, ms, msOrNull, type Db } from '../rows';

type ModelRow = { payload: string; consumed_at: number | string | null };

function toModel(r: ModelRow | undefined): OidcModelRow | null {
  return r ? { payload: JSON.parse(r.payload) as Record<string, unknown>, consumedAt: dateOrNull(r.consumed_at) } : null;
}

export function oidcModels(db: Db): OidcModelRepo {
  const live = (kind: string, now: Date) =>
    db
      .selectFrom('oidc_models')
      .select(['payload', 'consumed_at'])
      .where('kind', '=', kind)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', ms(now))]));
  return {
    async upsert(kind, id, payload, expiresAt) {
      const values = {
        payload: JSON.stringify(payload),
        grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        user_code: typeof payload.userCode === 'string' ? payload.userCode : null,
        expires_at: msOrNull(expiresAt),
      };
      await db
        .insertInto('oidc_models')
        .values({ kind, id, consumed_at: null, ...values })
        .onConflict((oc) => oc.columns(['kind', 'id']).doUpdateSet(values))
        .execute();
    },
    async find(kind, id, now) {
      return toModel(await live(kind, now).where('id', '=', id).executeTakeFirst());
    },
    async findByUid(kind, uid, now) {
      return toModel(await live(kind, now).where('uid', '=', uid).executeTakeFirst());
    },
    async findByUserCode(kind, userCode, now) {
      return toModel(await live(kind, now).where('user_code', '=', userCode).executeTakeFirst());
    },
    async consume(kind, id, at) {
      await db.updateTable('oidc_models').set({ consumed_at: ms(at) }).where('kind', '=', kind).where('id', '=', id).where('consumed_at', 'is', null).execute();
    },
    async destroy(kind, id) {
      await db.deleteFrom('oidc_models').where('kind', '=', kind).where('id', '=', id).execute();
    },
    async revokeByGrantId(kind, grantId) {
      await db.deleteFrom('oidc_models').where('kind', '=', kind).where('grant_id', '=', grantId).execute();
    },
    async revokeGrants(grantIds) {
      if (grantIds.length === 0) return;
      await db.deleteFrom('oidc_models').where('grant_id', 'in', grantIds).execute();
      await db.deleteFrom('oidc_models').where('kind', '=', 'Grant').where('id', 'in', grantIds).execute();
    },
  };
}

export function oidcClients(db: Db): OidcClientRepo {
  const toClient = (r: { client_id: string; secret_sealed: string | null; redirect_uris: string; post_logout_redirect_uris: string; backchannel_logout_uri: string | null; created_at: number | string }) => ({
    clientId: r.client_id,
    secretSealed: r.secret_sealed,
    redirectUris: JSON.parse(r.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(r.post_logout_redirect_uris) as string[],
    backchannelLogoutUri: r.backchannel_logout_uri,
    createdAt: date(r.created_at),
  });
  return {
    async insert(c) {
      const r = await db
        .insertInto('oidc_clients')
        .values({
          client_id: c.clientId,
          secret_sealed: c.secretSealed,
          redirect_uris: JSON.stringify(c.redirectUris),
          post_logout_redirect_uris: JSON.stringify(c.postLogoutRedirectUris),
          backchannel_logout_uri: c.backchannelLogoutUri,
          created_at: ms(c.createdAt),
        })
        .onConflict((oc) => oc.column('client_id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async find(clientId) {
      const r = await db.selectFrom('oidc_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
      return r ? toClient(r) : null;
    },
    async list() {
      return (await db.selectFrom('oidc_clients').selectAll().orderBy('client_id').execute()).map(toClient);
    },
    async remove(clientId) {
      const r = await db.deleteFrom('oidc_clients').where('client_id', '=', clientId).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
  };
}

export function oidcSigningKeys(db: Db): OidcSigningKeyRepo {
  return {
    async insert(k) {
      await db.insertInto('oidc_signing_keys').values({ kid: k.kid, jwk_sealed: k.jwkSealed, created_at: ms(k.createdAt), retired_at: msOrNull(k.retiredAt) }).execute();
    },
    async list() {
      const rows = await db.selectFrom('oidc_signing_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid', 'desc').execute();
      return rows.map((r) => ({ kid: r.kid, jwkSealed: r.jwk_sealed, createdAt: date(r.created_at), retiredAt: dateOrNull(r.retired_at) }));
    },
    async retireAllBut(kid, at) {
      await db.updateTable('oidc_signing_keys').set({ retired_at: ms(at) }).where('kid', '!=', kid).where('retired_at', 'is', null).execute();
    },
    async deleteRetiredBefore(before) {
      const r = await db.deleteFrom('oidc_signing_keys').where('retired_at', '<', ms(before)).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export function oidcSubjects(db: Db): OidcSubjectRepo {
  return {
    async subjectOf(accountId, candidate) {
      await db.insertInto('oidc_subjects').values({ account_id: accountId, subject: candidate }).onConflict((oc) => oc.column('account_id').doNothing()).execute();
      const r = await db.selectFrom('oidc_subjects').select('subject').where('account_id', '=', accountId).executeTakeFirstOrThrow();
      return r.subject;
    },
    async accountOf(subject) {
      const r = await db.selectFrom('oidc_subjects').select('account_id').where('subject', '=', subject).executeTakeFirst();
      return r ? Number(r.account_id) : null;
    },
  };
}

export function oidcSessionLinks(db: Db): OidcSessionLinkRepo {
  return {
    async put(l, at) {
      const values = { mamori_session_id: l.mamoriSessionId, account_id: l.accountId, created_at: ms(at), logged_out_at: null };
      await db
        .insertInto('oidc_session_links')
        .values({ session_uid: l.sessionUid, ...values })
        .onConflict((oc) => oc.column('session_uid').doUpdateSet(values))
        .execute();
    },
    async mamoriSessionOf(sessionUid) {
      const r = await db.selectFrom('oidc_session_links').select('mamori_session_id').where('session_uid', '=', sessionUid).where('logged_out_at', 'is', null).executeTakeFirst();
      return r ? Number(r.mamori_session_id) : null;
    },
    async claimEnded(accountId, now) {
      // A Mamori session that ended, or that the purger already took: its provider sessions go.
      const rows = await db
        .updateTable('oidc_session_links')
        .set({ logged_out_at: ms(now) })
        .where('account_id', '=', accountId)
        .where('logged_out_at', 'is', null)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('sessions').select(sql<number>`1`.as('one')).whereRef('sessions.id', '=', 'oidc_session_links.mamori_session_id').where('sessions.ended_at', 'is', null))),
        )
        .returning(['session_uid', 'mamori_session_id', 'account_id'])
        .execute();
      return rows.map((r) => ({ sessionUid: r.session_uid, mamoriSessionId: Number(r.mamori_session_id), accountId: Number(r.account_id) }));
    },
  };
}
