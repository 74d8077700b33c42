/** Strings of protected passkey registration and the cancel of a new passkey (issue 16). */
export const jaPasskeyRegistration = {
  'passkey.new': '新しいパスキー',
  'passkey.newUntil': '{until}まで出金などの本人確認には使えません',
  'passkey.newLead': '登録から{hours}時間以内のパスキーは「新しいパスキー」です。ログインには使えますが、出金などの重要なお手続きの本人確認には使えません。お心当たりのないパスキーは「取消」で登録を取り消してください。',
  'passkey.cancel': '取消',
  'passkey.cancelLabel': '{name}の登録を取消',
  'passkey.cancelled': 'パスキーの登録を取り消しました。この端末以外のすべての端末・ブラウザはログアウトしました。ログインパスワードの変更をおすすめします。',
  'error.passkey_not_new': 'このパスキーは登録から時間が経っているため取り消せません。削除する場合は「削除」からお手続きください。',
} as const;

export const enPasskeyRegistration: Record<keyof typeof jaPasskeyRegistration, string> = {
  'passkey.new': 'New passkey',
  'passkey.newUntil': 'cannot confirm withdrawals until {until}',
  'passkey.newLead': 'A passkey registered within the last {hours} hours is a "new passkey": it logs in, but cannot confirm withdrawals or other important operations. If you do not recognise one, cancel its registration with "Cancel".',
  'passkey.cancel': 'Cancel',
  'passkey.cancelLabel': 'Cancel the registration of {name}',
  'passkey.cancelled': 'The passkey registration has been cancelled. Every other device and browser has been signed out. We recommend changing your login password.',
  'error.passkey_not_new': 'This passkey was registered too long ago to be cancelled. To remove it, use "Delete".',
};
