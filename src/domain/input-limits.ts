/**
 * The longest value each input may hold, named once for the domain, the API and the pages
 * (docs/requirements.md R-INPUT-2). A value over its limit is refused as `too_long` or `format`
 * before any other work: nothing long is hashed, looked up, stored or written into a mail.
 * Lengths are JavaScript string lengths (UTF-16 units) unless a comment says characters.
 */

/** A login ID: 3 to 64 of A-Z a-z 0-9 . _ @ - (the brokerage's existing IDs fit). */
export const LOGIN_ID_MAX = 64;

/** The password rule, in characters after NFKC: NIST SP 800-63B-4 §3.1.1.2 asks to allow at least 64. */
export const PASSWORD_MIN = 8;
/**
 * A new login password: 15, NIST SP 800-63B-4 §3.1.1.2's floor for a password used as a
 * single-factor authenticator — which it is at a login from a recognised browser (no second step).
 * The trading password is never a login factor and keeps PASSWORD_MIN.
 */
export const LOGIN_PASSWORD_MIN = 15;
export const PASSWORD_MAX = 128;

/**
 * A submitted login or trading password: longer than any password the rule lets anyone set (an
 * imported hash may come from a laxer rule), short enough that hashing it costs nothing extra.
 */
export const SUBMITTED_PASSWORD_MAX = 1024;

/** A password typed on the password-change screens: room for PASSWORD_MAX characters of 4 units each, then the rule decides. */
export const CHANGED_PASSWORD_MAX = PASSWORD_MAX * 4;

/** A one-time code field (e-mailed code, TOTP, recovery code, confirmation code) before normalisation: spaces and full-width digits allowed. */
export const ONE_TIME_CODE_INPUT_MAX = 64;

/**
 * What the pages' code fields let a customer type (their `maxlength`): six digits with room for
 * spaces and full-width input, and a recovery code with its dashes. The domain still checks the
 * format; these only stop a paste of a whole mail.
 */
export const ONE_TIME_CODE_FIELD_LENGTH = 12;
export const RECOVERY_CODE_FIELD_LENGTH = 24;

/** A customer's name as the brokerage supplies it. */
export const CUSTOMER_NAME_MAX = 100;

/** An e-mail address and its local part (RFC 5321). */
export const EMAIL_ADDRESS_MAX = 254;
export const EMAIL_LOCAL_PART_MAX = 64;

/** メールアドレス1–3: the notice's three addresses. */
export const EMAIL_ADDRESSES_MAX = 3;

/** A name the customer gives a passkey. */
export const PASSKEY_NAME_MAX = 40;

/** A WebAuthn credential id as the browser sends it (base64url). */
export const PASSKEY_CREDENTIAL_ID_MAX = 1024;

/** Every opaque token we issue (session, recognised browser, flow handle, challenge handle, CSRF): ours are 43 characters. */
export const TOKEN_MAX = 128;

/** An IP address in text (the longest IPv6 form, with an embedded IPv4 address). */
export const IP_ADDRESS_TEXT_MAX = 45;

/** The support desk: an operator's name and the reason recorded with an action. */
export const OPERATOR_NAME_MAX = 100;
export const SUPPORT_REASON_MAX = 500;
