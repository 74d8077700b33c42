/** What the OpenID Connect provider keeps, as the domain sees it (src/store/repositories/oidc.ts). */

/** One stored instance of an oidc-provider model (a code, a token, a grant, its session, ...). */
export interface OidcModelRow {
  payload: Record<string, unknown>;
  consumedAt: Date | null;
}

export interface OidcModelRepo {
  upsert(kind: string, id: string, payload: Record<string, unknown>, expiresAt: Date | null): Promise<void>;
  /** Only while unexpired at `now`. */
  find(kind: string, id: string, now: Date): Promise<OidcModelRow | null>;
  findByUid(kind: string, uid: string, now: Date): Promise<OidcModelRow | null>;
  findByUserCode(kind: string, userCode: string, now: Date): Promise<OidcModelRow | null>;
  consume(kind: string, id: string, at: Date): Promise<void>;
  destroy(kind: string, id: string): Promise<void>;
  revokeByGrantId(kind: string, grantId: string): Promise<void>;
  /** Every token, code and grant of these grants, whatever the kind (a session ended). */
  revokeGrants(grantIds: string[]): Promise<void>;
}

export interface OidcClientRecord {
  clientId: string;
  secretSealed: string | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  createdAt: Date;
}

export interface OidcClientRepo {
  /** False when the id is taken. */
  insert(c: OidcClientRecord): Promise<boolean>;
  find(clientId: string): Promise<OidcClientRecord | null>;
  list(): Promise<OidcClientRecord[]>;
  remove(clientId: string): Promise<boolean>;
}

export interface OidcSigningKeyRecord {
  kid: string;
  jwkSealed: string;
  createdAt: Date;
  retiredAt: Date | null;
}

export interface OidcSigningKeyRepo {
  insert(k: OidcSigningKeyRecord): Promise<void>;
  /** Newest first. */
  list(): Promise<OidcSigningKeyRecord[]>;
  retireAllBut(kid: string, at: Date): Promise<void>;
  /** Retired before `before`: no token signed with them can still be valid. */
  deleteRetiredBefore(before: Date): Promise<number>;
}

export interface OidcSubjectRepo {
  /** The account's subject, creating `candidate` as it if it has none (first come wins). */
  subjectOf(accountId: number, candidate: string): Promise<string>;
  accountOf(subject: string): Promise<number | null>;
}

export interface OidcSessionLink {
  sessionUid: string;
  mamoriSessionId: number;
  accountId: number;
}

export interface OidcSessionLinkRepo {
  put(link: OidcSessionLink, at: Date): Promise<void>;
  /** While not logged out. */
  mamoriSessionOf(sessionUid: string): Promise<number | null>;
  /**
   * Claims (once, across processes) the account's provider sessions whose Mamori session has
   * ended or is gone: exactly one caller gets each.
   */
  claimEnded(accountId: number, now: Date): Promise<OidcSessionLink[]>;
}
