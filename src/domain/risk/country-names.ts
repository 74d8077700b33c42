/** A country's name for a page or a mail, from the ICU data Node ships (no table of our own to keep). */
const names = new Map<string, Intl.DisplayNames>();

export function countryName(code: string | null, locale: 'ja' | 'en' = 'ja'): string | null {
  if (!code) return null;
  let display = names.get(locale);
  if (!display) names.set(locale, (display = new Intl.DisplayNames([locale], { type: 'region' })));
  try {
    return display.of(code) ?? code;
  } catch {
    return code;
  }
}
