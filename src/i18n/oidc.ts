/** The OpenID Connect provider's few screens: its errors, and RP-initiated logout (r20-oidc). */
export const jaOidc = {
  'oidc.error.title': 'ログインを続けられません',
  'oidc.error.body': 'ご利用のサービスからのログインの依頼に誤りがあるか、時間が経ちすぎました。お手数ですが、ご利用のサービスの画面からもう一度ログインしてください。',
  'oidc.error.code': 'エラーコード: {code}',
  'oidc.logout.title': 'ログアウトの確認',
  'oidc.logout.question': 'ログアウトしますか。ご利用のサービスからもログアウトします。',
  'oidc.logout.yes': 'ログアウトする',
  'oidc.logout.no': 'ログアウトしない',
  'oidc.loggedOut.title': 'ログアウトしました',
  'oidc.loggedOut.body': 'ご利用のサービスからログアウトしました。',
  'oidc.toLogin': 'ログイン画面へ',
} as const;

export const enOidc: Record<keyof typeof jaOidc, string> = {
  'oidc.error.title': 'Cannot continue signing in',
  'oidc.error.body': 'The sign-in request from the service you are using was not valid, or too much time has passed. Please sign in again from that service.',
  'oidc.error.code': 'Error code: {code}',
  'oidc.logout.title': 'Log out?',
  'oidc.logout.question': 'Do you want to log out? You will also be logged out of the service you are using.',
  'oidc.logout.yes': 'Log out',
  'oidc.logout.no': 'Stay logged in',
  'oidc.loggedOut.title': 'You have logged out',
  'oidc.loggedOut.body': 'You have logged out of the service you were using.',
  'oidc.toLogin': 'To the login page',
};
