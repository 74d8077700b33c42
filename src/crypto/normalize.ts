/**
 * Input typed with a Japanese IME arrives full-width (`１２３４５６`, `ＡＢＣ`): NFKC turns it into
 * ASCII before any check (docs/requirements.md R-INPUT-1; NIST SP 800-63B §5.1.1.2 on normalisation).
 */
export function normalizeInput(s: string): string {
  return s.normalize('NFKC').trim();
}

/** Codes: also drop the spaces and hyphens people type to group digits. */
export function normalizeCode(s: string): string {
  return normalizeInput(s).replace(/[\s-]/g, '');
}

// C0 and C1 controls, DEL, and the bidirectional overrides used to disguise text (Trojan Source).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function hasControlChars(s: string): boolean {
  return CONTROL.test(s);
}

/** Lone surrogates cannot be stored or mailed faithfully: treat them as malformed input. */
export function isWellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

/**
 * A password as it is hashed (NIST SP 800-63B-4 §3.1.1.2: NFKC before hashing): the same
 * passphrase typed with a Japanese IME in full-width (ｐａｓｓ１２３) or half-width is one
 * password. Nothing is trimmed: spaces belong to passphrases.
 */
export function normalizePassword(s: string): string {
  return s.normalize('NFKC');
}

/**
 * The forms to try against a stored hash, NFKC first: hashes made before normalisation were of the
 * password as typed, so where NFKC changes it the typed form is tried too, and its customer is
 * not locked out (the hash is then renewed in the NFKC form).
 */
export function passwordForms(s: string): [string] | [string, string] {
  const nfkc = normalizePassword(s);
  return nfkc === s ? [s] : [nfkc, s];
}
