/** Words of the behaviour signals on pages: the refusal, ログイン履歴's columns and results (r17-signals). */
export const jaRisk = {
  'error.login_refused.country':
    '日本国外からのログインはご利用いただけません。海外渡航などで国外からログインする必要がある場合は、お取引店またはフリーダイヤル（{phone}）までご連絡ください。ご本人確認のうえ、期間を定めてご利用いただけるようにいたします。',
  'error.login_refused.risk':
    'いつもと異なる状況でのログインのため、ログインをお受けできませんでした。お心当たりのない場合はログインパスワードを変更のうえ、お取引店またはフリーダイヤル（{phone}）までご連絡ください。',
  'history.where': '国・地域 / ネットワーク',
  'history.attribution': 'ネットワーク名の出典: ',
  'history.result.risk': '確認: {action}（{signals}）',
  'risk.action.allow': '通知のみ',
  'risk.action.step_up': '追加認証を要求',
  'risk.action.passkey': 'パスキーを要求',
  'risk.action.refuse': 'ログインを拒否',
  'risk.signal.new_country': '最近ご利用のない国・地域',
  'risk.signal.new_network': '最近ご利用のないネットワーク',
  'risk.signal.impossible_travel': '短時間での国・地域の移動',
  'risk.signal.stuffing_address': '多数のログインIDを試す接続元',
  'risk.signal.stuffing_network': '多数のログインIDを試すネットワーク',
  'risk.signal.after_failures': '失敗が続いた直後',
  'risk.signal.unusual_hour': '普段と異なる時間帯',
  'risk.signal.country_not_allowed': 'ご利用いただけない国・地域',
};

export const enRisk: Record<keyof typeof jaRisk, string> = {
  'error.login_refused.country':
    'Logins from outside Japan are not accepted. If you need to log in from abroad (for example while travelling), call your branch or {phone}: after confirming who you are we allow it for a set period.',
  'error.login_refused.risk':
    'This login looked unusual and was not accepted. If it was not you, change your login password and call your branch or {phone}.',
  'history.where': 'Country / network',
  'history.attribution': 'Network names: ',
  'history.result.risk': 'Check: {action} ({signals})',
  'risk.action.allow': 'notified only',
  'risk.action.step_up': 'extra authentication asked',
  'risk.action.passkey': 'passkey asked',
  'risk.action.refuse': 'login refused',
  'risk.signal.new_country': 'a country not used recently',
  'risk.signal.new_network': 'a network not used recently',
  'risk.signal.impossible_travel': 'countries changed within a short time',
  'risk.signal.stuffing_address': 'an address trying many login IDs',
  'risk.signal.stuffing_network': 'a network trying many login IDs',
  'risk.signal.after_failures': 'right after repeated failures',
  'risk.signal.unusual_hour': 'an unusual time of day',
  'risk.signal.country_not_allowed': 'a country not accepted',
};
