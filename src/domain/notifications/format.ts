/** Dates in mails and pages are Japan time, as the customer reads them. */
const JST = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

const JST_DATE = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });

export function formatJst(d: Date): string {
  return `${formatJstClock(d)} (日本時間)`;
}

/** `2025/04/15 09:30:00` in Japan time, without saying so (pages add the zone in the reader's language). */
export function formatJstClock(d: Date): string {
  return JST.format(d);
}

/** `2025/04/15`, as in the header of the notice's screens. */
export function formatJstDate(d: Date): string {
  return JST_DATE.format(d);
}
