/**
 * Dates and login-method names on pages, in the reader's language. Mails keep their Japanese
 * wording (domain/notifications); a page in English must not show 日本時間 or メールの認証コード.
 */
import { formatJstClock } from '../domain/notifications/format';
import { hasMessage, type Translate } from './index';

/** `2025/04/15 09:30:00 (日本時間)` or `2025/04/15 09:30:00 (Japan time)`. */
export function formatDateTime(t: Translate, d: Date): string {
  return `${formatJstClock(d)} (${t('time.jst')})`;
}

/** The name of a login method (email_code, totp, passkey, …); an unknown method is shown as stored. */
export function methodName(t: Translate, method: string): string {
  const key = `method.${method}`;
  return hasMessage(key) ? t(key) : method;
}
