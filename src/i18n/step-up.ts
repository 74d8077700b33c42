/** The step-up screen the trading service sends the customer to, and the trading service's API errors (r16-stepup). */
export const jaStepUp = {
  'stepUp.title.withdrawal': '出金の本人確認',
  'stepUp.title.withdrawal_account_change': '出金先口座の変更の本人確認',
  'stepUp.lead': 'お取引の安全のため、ご本人であることをもう一度確認します。確認が済むと、お取引の画面に戻ります。',
  'stepUp.passkeyLead': '「パスキーで本人確認」を押し、お使いの端末の案内に従ってください（指紋・顔認証・画面ロックの解除など）。',
  'stepUp.totpLead': 'ワンタイムパスワードアプリに表示されている6桁のコードを入力してください。',
  'stepUp.emailLead': '「確認コードをメールで送信」を押すと、メールアドレス1（代表）に確認コードをお送りします。届いたコードを入力してください。',
  'stepUp.totpLabel': 'ワンタイムパスワード（6桁）',
  'stepUp.submit': '本人確認する',
  'stepUp.cancel': '本人確認をやめて戻る',
  'stepUp.risk': 'パスキーが登録されていないため、メールまたはワンタイムパスワードで確認します。これらはフィッシング（偽サイト）に対して十分ではありません。パスキーの登録をおすすめします。',
  'stepUp.badRequestTitle': '本人確認を始められません',
  'stepUp.badRequest': 'お取引画面からの本人確認の依頼に誤りがあります。お手数ですが、お取引画面からもう一度操作してください。',
  'stepUp.toTop': 'トップページへ',
  'reauth.criticalLead':
    'この変更には、取引パスワードに加えて確認コードが必要です（取引パスワードだけでは変更できません）。「確認コードをメールで送信」を押すと、メールアドレス1（代表）に確認コード（数字6桁）をお送りします。メールに記載の確認コードを「確認コード」欄に入力してください。',
  'error.passkey_cooling_off':
    'パスキー「{passkey}」は登録から{hours}時間、出金の本人確認に使えません。{until}（日本時間）以降にお試しください。お心当たりのない登録の場合は、至急お取引店またはフリーダイヤルまでお問い合わせください。',
  'error.invalid_input.purpose': '本人確認の目的（purpose）が正しくありません。withdrawal または withdrawal_account_change を指定してください。',
  'error.invalid_input.intent': '取引の識別子（intent）は、空白を含まない半角英数記号256文字以内で指定してください。',
  'error.invalid_input.return_to': '戻り先（return_to）は、このサイトのパス（/ で始まる）で指定してください。',
} as const;

export const enStepUp: Record<keyof typeof jaStepUp, string> = {
  'stepUp.title.withdrawal': 'Confirm it is you: withdrawal',
  'stepUp.title.withdrawal_account_change': 'Confirm it is you: change of withdrawal account',
  'stepUp.lead': 'For the safety of your trading, please confirm once more that it is you. You will then return to the trading screen.',
  'stepUp.passkeyLead': 'Press "Confirm with my passkey" and follow your device (fingerprint, face or screen lock).',
  'stepUp.totpLead': 'Enter the 6-digit code shown in your one-time password app.',
  'stepUp.emailLead': 'Press "Send a confirmation code by e-mail" and we will send a code to e-mail address 1 (main). Enter the code you receive.',
  'stepUp.totpLabel': 'One-time password (6 digits)',
  'stepUp.submit': 'Confirm',
  'stepUp.cancel': 'Cancel and go back',
  'stepUp.risk': 'You have no passkey, so we confirm with an e-mailed code or a one-time password. These do not protect you well against phishing (fake sites). We recommend registering a passkey.',
  'stepUp.badRequestTitle': 'The confirmation cannot start',
  'stepUp.badRequest': 'The request from the trading screen is not valid. Please start again from the trading screen.',
  'stepUp.toTop': 'Go to the top page',
  'reauth.criticalLead':
    'This change needs a confirmation code as well as your trading password (the trading password alone is not enough). Press "E-mail me a code" and we send a 6-digit code to e-mail address 1 (representative). Enter it in the "Confirmation code" field.',
  'error.passkey_cooling_off':
    'The passkey "{passkey}" cannot confirm a withdrawal during the first {hours} hours after it was registered. Please try again after {until} (Japan time). If you did not register it, call your branch or our free dial at once.',
  'error.invalid_input.purpose': 'The purpose is not valid: use withdrawal or withdrawal_account_change.',
  'error.invalid_input.intent': 'The intent must be at most 256 printable ASCII characters without spaces.',
  'error.invalid_input.return_to': 'The return path (return_to) must be a path of this site (starting with /).',
};
