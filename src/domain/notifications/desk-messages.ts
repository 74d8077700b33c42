/** The mails of the support desk console's own actions (r18-console); the others reuse the existing ones. Plain text, no link. */
import type { Brand } from '../context';
import { formatJst } from './format';
import { customerMail, type MailContent } from './messages';

export function deskSessionsEndedMail(brand: Brand, p: { name: string; at: Date; sessions: number }): MailContent {
  return customerMail(brand, 'ログイン中の端末をログアウトしました', p.name, [
    `サポートデスクへのお申し出により、${formatJst(p.at)} に${brand.serviceName}のログイン中の端末（${p.sessions}件）をすべてログアウトし、登録済みのブラウザを解除しました。`,
    '次回のログインでは、ログインパスワードと追加認証が必要です。',
    `このお手続きにお心当たりのない場合は、至急 ${brand.supportPhone} までお電話ください。`,
  ]);
}
