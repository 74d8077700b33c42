/** The page and API message for a one-time password secret that cannot be read (r18-cli): the customer is not at fault and is told whom to call. */
export const jaUnreadableSecret = {
  'error.secret_unreadable': 'ただいまワンタイムパスワードを確認できません。お客様の操作に誤りはありません。時間をおいてもう一度お試しいただき、解決しない場合は当社までお問い合わせください。',
} as const;

export const enUnreadableSecret: Record<keyof typeof jaUnreadableSecret, string> = {
  'error.secret_unreadable': 'We cannot check one-time passwords right now. You did nothing wrong. Please try again later, and if it continues, contact us.',
};
