/** The words of the list of sessions on セキュリティ設定. */
export const jaSessions = {
  'sessions.title': 'ログイン中の端末',
  'sessions.lead': 'この口座にいまログインしている端末・ブラウザです。お心当たりのない端末があれば「ログアウト」し、ログインパスワードを変更してください。最終利用日時は1分ごとに更新されます。',
  'sessions.current': 'ご利用中の端末',
  'sessions.started': 'ログイン日時',
  'sessions.lastSeen': '最終利用日時',
  'sessions.address': 'IPアドレス',
  'sessions.logout': 'ログアウト',
  'sessions.logoutOthers': '他のすべての端末からログアウト',
  'sessions.ended': '選択した端末をログアウトしました。',
  'sessions.othersEnded': '他の端末（{count}件）をログアウトしました。',
  'sessions.noOthers': 'ほかにログイン中の端末はありません。',
  'error.not_found.session': '指定の端末はすでにログアウトしています。',
  'error.invalid_input.session': '指定の端末はありません。',
} as const;

export const enSessions: Record<keyof typeof jaSessions, string> = {
  'sessions.title': 'Signed-in devices',
  'sessions.lead': 'Devices and browsers signed in to this account now. Log out any you do not recognise, then change your login password. Last active is updated every minute.',
  'sessions.current': 'This device',
  'sessions.started': 'Logged in',
  'sessions.lastSeen': 'Last active',
  'sessions.address': 'IP address',
  'sessions.logout': 'Log out',
  'sessions.logoutOthers': 'Log out all other devices',
  'sessions.ended': 'The device has been logged out.',
  'sessions.othersEnded': '{count} other device(s) logged out.',
  'sessions.noOthers': 'No other device is signed in.',
  'error.not_found.session': 'That device is already logged out.',
  'error.invalid_input.session': 'No such device.',
};
