/**
 * The mails of a forgotten login password or login ID and of the desk's reset code (issue 17).
 * Plain text, no link (messages.ts says why); every one says what to do if the customer did not ask.
 */
import type { Brand } from '../context';
import { shownIp } from '../client-address';
import { formatJst } from './format';
import { codeLines, customerMail, footer, type MailContent } from './messages';

const notYou = 'このお手続きにお心当たりのない場合は、このメールを破棄し、コードを誰にも教えないでください。パスワードは変更されません。';

export function passwordResetCodeMail(brand: Brand, p: { name: string; code: string; validMinutes: number; requestedAt: Date }): MailContent {
  return customerMail(brand, 'ログインパスワード再設定の確認コード', p.name, [
    `${brand.serviceName}のログインパスワード再設定のお申し出を受け付けました。`,
    '再設定画面の「確認コード」欄に次のコードを入力してください。',
    '',
    ...codeLines('確認コード', p),
    '再設定には、このコードのほかに取引パスワードが必要です。',
    '当社の社員がこのコードやパスワードをお尋ねすることはありません。',
    notYou,
  ]);
}

export function deskResetCodeMail(brand: Brand, p: { name: string; code: string; validUntil: Date }): MailContent {
  return customerMail(brand, 'ログインパスワード再設定コードのお知らせ', p.name, [
    'サポートデスクへのお申し出により、ログインパスワードの再設定コードを発行しました。',
    'ログイン画面の「ログインパスワードをお忘れの方」から「再設定コードをお持ちの方」へ進み、ログインIDとこのコードを入力してください。',
    '',
    `再設定コード: ${p.code}`,
    '',
    `有効期限: ${formatJst(p.validUntil)} まで。一度だけ使えます。再設定には取引パスワードも必要です。`,
    notYou,
  ]);
}

export function passwordResetDoneMail(brand: Brand, p: { name: string; at: Date; ip: string; byDesk: boolean }): MailContent {
  return customerMail(brand, 'ログインパスワードを再設定しました', p.name, [
    `${formatJst(p.at)}、${p.byDesk ? 'サポートデスクが発行した再設定コードにより、' : ''}ログインパスワードを再設定しました。`,
    `操作元IPアドレス: ${shownIp(p.ip) ?? '不明'}`,
    'すべての端末・ブラウザでログアウトし、登録済み端末の登録を解除しました。新しいパスワードで、あらためてログインしてください。',
  ]);
}

export function loginIdReminderMail(brand: Brand, p: { loginIds: readonly string[]; requestedAt: Date }): MailContent {
  return {
    subject: `【${brand.brokerName}】ログインIDのお知らせ`,
    text: [
      'お客さま',
      '',
      `${formatJst(p.requestedAt)}、ログインIDのお問い合わせを受け付けました。このメールアドレスを登録されているログインIDは次のとおりです。`,
      '',
      ...p.loginIds.map((id) => `ログインID: ${id}`),
      '',
      'パスワードはお知らせしていません。お忘れの場合は、ログイン画面の「ログインパスワードをお忘れの方」からお手続きください。',
      'お問い合わせにお心当たりのない場合は、このメールを破棄してください。ログインIDだけではログインできません。',
      footer(brand),
    ].join('\n'),
  };
}

export function passwordChangeRequiredMail(brand: Brand, p: { name: string; at: Date }): MailContent {
  return customerMail(brand, 'ログインパスワード変更のお願い', p.name, [
    `${formatJst(p.at)}、サポートデスクがお客さまのログインパスワードの変更をお願いする設定をしました。`,
    '次回ログインの後、ログインパスワードの変更画面が表示されます。変更が終わるまで、ほかの画面はご利用いただけません。',
  ]);
}
