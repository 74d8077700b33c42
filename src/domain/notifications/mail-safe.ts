/**
 * The one rule for text a customer (or any client) wrote that a mail repeats: it may never be a
 * link or look like one. Mail clients turn `https://…`, `www.…`, `name.example` and addresses into
 * links, and a phisher who can make the brokerage's own notice carry a link has the best lure
 * there is (the mails promise "当社がメールでリンクをお送りすることはありません", messages.ts).
 * So a value is repeated only when every character is a letter, a digit, a space or a few
 * harmless marks, with dots only inside version numbers (`Chrome 131`, `Mac OS 10.15.7`);
 * otherwise the mail says something neutral instead. ASVS 5.0 V1.2 (output encoding for the
 * context the value lands in: here, a plain-text mail that clients linkify).
 */
import { normalizeInput } from '../../crypto/normalize';

const ALLOWED = /^[\p{L}\p{M}\p{N} \u3000ー・\-_()（）]*$/u;
const MAX_LENGTH = 60;

/** The value as a mail may show it, or null when it is empty, too long or could be read as a link. */
export function mailSafeText(raw: string): string | null {
  const text = normalizeInput(raw).replace(/\s+/gu, ' ').trim();
  if (!text || Array.from(text).length > MAX_LENGTH) return null;
  // A dot is kept only between digits, and never four numbers in a row (an IPv4 address).
  if (/\.(?!\d)|(?<!\d)\./u.test(text) || /\d+\.\d+\.\d+\.\d+/u.test(text)) return null;
  if (!ALLOWED.test(text.replace(/(?<=\d)\.(?=\d)/gu, ''))) return null;
  return text;
}

/** `mailSafeText`, or the neutral wording the caller gives. */
export function mailSafeOr(raw: string, fallback: string): string {
  return mailSafeText(raw) ?? fallback;
}
