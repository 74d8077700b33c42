/** The phishing-resistant migration's words: the countdown, forced registration, exemptions. */

export const jaPasskeyPolicy = {
  'passkeyPolicy.announceTitle': '{date}から、ログインにパスキーが必要になります',
  'passkeyPolicy.announceWhy':
    '偽のログイン画面でパスワードや認証コードを盗み、すぐに不正ログインする「リアルタイムフィッシング」の被害が増えています。金融庁・日本証券業協会の指針（2025年）に沿い、当社はフィッシングに強いパスキーによるログインを必須とします。',
  'passkeyPolicy.announceLogin': 'パスキーを登録されていないお客さまは、{date}以降、ログインの後にパスキーの登録が済むまで他の画面をご利用いただけません。',
  'passkeyPolicy.announceHome': 'お客さまはまだパスキーを登録されていません。{date}になる前に登録してください。',
  'passkeyPolicy.registerNow': 'パスキーを登録する',
  'passkeyPolicy.registerAfterLogin': 'ログインしてパスキーを登録する',
  'passkeyPolicy.requiredTitle': 'パスキーの登録が必要です',
  'passkeyPolicy.requiredLead':
    '{date}から、ログインにはパスキーが必要です。パスキーを登録すると、他の画面をご利用いただけます。パスキーを使える端末をお持ちでない場合は、サポートデスクにご相談ください。',
  'passkeyPolicy.exemptTitle': 'パスキー登録の例外が適用されています（{date}まで）',
  'passkeyPolicy.exemptRisk':
    'メールの認証コードやワンタイムパスワードはリアルタイムフィッシングに弱く、パスキーより不正ログインの危険が高い方法です。ログインのたびに、登録済みのすべてのメールアドレスへお知らせします。パスキーを使える端末をご用意いただけましたら、お早めに登録してください。',
  'error.passkey_enrolment_required': 'パスキーの登録が必要です。登録が済むまで、この操作はできません。',
  'error.forbidden.no_migration_date': 'パスキー必須化の日付（PASSKEY_REQUIRED_FROM）と PASSKEY_POLICY=phishing-resistant が設定されていません。',
  'error.not_found.exemption': '有効なパスキー登録の例外はありません。',
  'error.invalid_input.until': '期限の日付（YYYY-MM-DD、本日以降、1年以内）をご確認ください。',
} as const;

export const enPasskeyPolicy: Record<keyof typeof jaPasskeyPolicy, string> = {
  'passkeyPolicy.announceTitle': 'From {date}, logging in will require a passkey',
  'passkeyPolicy.announceWhy':
    'Real-time phishing, where a fake login page steals a password and code and uses them at once, is on the rise. Following the FSA and JSDA guidelines (2025), we are making phishing-resistant passkeys mandatory for logging in.',
  'passkeyPolicy.announceLogin': 'From {date}, customers without a passkey will have to register one after logging in before they can use any other screen.',
  'passkeyPolicy.announceHome': 'You have not registered a passkey yet. Please register one before {date}.',
  'passkeyPolicy.registerNow': 'Register a passkey',
  'passkeyPolicy.registerAfterLogin': 'Log in and register a passkey',
  'passkeyPolicy.requiredTitle': 'A passkey is required',
  'passkeyPolicy.requiredLead':
    'Since {date}, logging in requires a passkey. Once you have registered one, the other screens are available. If you have no device that can use passkeys, please contact the support desk.',
  'passkeyPolicy.exemptTitle': 'You are exempted from registering a passkey (until {date})',
  'passkeyPolicy.exemptRisk':
    'E-mailed codes and one-time passwords are vulnerable to real-time phishing: logging in with them carries a higher risk than with a passkey. Every login is notified to all your registered e-mail addresses. Please register a passkey as soon as you have a device that can use one.',
  'error.passkey_enrolment_required': 'Please register a passkey first: this is not available until you do.',
  'error.forbidden.no_migration_date': 'PASSKEY_REQUIRED_FROM and PASSKEY_POLICY=phishing-resistant are not set.',
  'error.not_found.exemption': 'There is no exemption in force.',
  'error.invalid_input.until': 'Please check the date (YYYY-MM-DD, from today, within a year).',
};

/** The calendar day of the migration, as each language writes it (2027年4月1日(木); Thursday 1 April 2027), in Japan time. */
const DAY_FORMATS = {
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }),
};

export function formatMigrationDay(locale: 'ja' | 'en', d: Date): string {
  return DAY_FORMATS[locale].format(d);
}
